package io.hostrail.customer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.customer.model.VatCheck.Status;
import io.hostrail.customer.model.VatCheckOutcome.Invalid;
import io.hostrail.customer.model.VatCheckOutcome.Unavailable;
import io.hostrail.customer.model.VatCheckOutcome.Valid;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VatCheckTest {

    private static final Instant ANSWERED = Instant.parse("2026-03-02T10:15:30Z");
    private static final Instant ASKED = Instant.parse("2026-03-02T10:15:31Z");

    @Test
    void eachOutcomeIsRecordedAsItsStatus() {
        assertThat(VatCheck.of(new Valid(" ACME SARL ", "1 rue", ANSWERED), ASKED))
                .isEqualTo(new VatCheck(Status.VALID, ANSWERED, "ACME SARL"));
        assertThat(VatCheck.of(new Invalid(ANSWERED), ASKED)).isEqualTo(new VatCheck(Status.INVALID, ANSWERED, null));
        assertThat(VatCheck.of(new Unavailable("MS_UNAVAILABLE"), ASKED))
                .as("dated when the register was asked").isEqualTo(new VatCheck(Status.UNAVAILABLE, ASKED, null));
        assertThat(VatCheck.of(new Valid("---", "---", ANSWERED), ASKED).registeredName())
                .as("a withheld name").isNull();
    }

    @Test
    void anUnavailableRegisterDoesNotUndoAnEarlierAnswer() {
        VatCheck valid = new VatCheck(Status.VALID, ANSWERED, "ACME SARL");
        VatCheck invalid = new VatCheck(Status.INVALID, ANSWERED, null);
        VatCheck unavailable = new VatCheck(Status.UNAVAILABLE, ANSWERED, null);
        Unavailable down = new Unavailable("MS_UNAVAILABLE");

        assertThat(VatCheck.after(valid, down, ASKED)).isSameAs(valid);
        assertThat(VatCheck.after(invalid, down, ASKED)).isSameAs(invalid);
        assertThat(VatCheck.after(unavailable, down, ASKED)).isEqualTo(new VatCheck(Status.UNAVAILABLE, ASKED, null));
        assertThat(VatCheck.after(null, down, ASKED)).isEqualTo(new VatCheck(Status.UNAVAILABLE, ASKED, null));
        assertThat(VatCheck.after(valid, new Invalid(ASKED), ASKED)).as("a definitive answer replaces one")
                .isEqualTo(new VatCheck(Status.INVALID, ASKED, null));
    }

    @Test
    void onlyAValidNumberHasARegisteredName() {
        assertThat(new VatCheck(Status.INVALID, ANSWERED, "ACME").registeredName()).isNull();
        assertThat(new VatCheck(Status.VALID, ANSWERED, "ACME").statusName()).isEqualTo("valid");
        assertThatThrownBy(() -> new Unavailable(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
