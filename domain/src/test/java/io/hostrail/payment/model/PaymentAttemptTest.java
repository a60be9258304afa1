package io.hostrail.payment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaymentAttemptTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final Money TEN = Money.ofMinor(1000, "EUR");

    private final PaymentAttempt started = PaymentAttempt.start(UUID.randomUUID(), new TenantId(UUID.randomUUID()),
            UUID.randomUUID(), UUID.randomUUID(), Payment.Provider.STRIPE, PaymentAttempt.Purpose.CHECKOUT, TEN, null,
            START);

    @Test
    @DisplayName("a new attempt is due a check soon, in case its first answer never arrives")
    void startedIsDueACheck() {
        assertThat(started.status()).isEqualTo(PaymentAttempt.Status.STARTED);
        assertThat(started.nextCheckAt()).isEqualTo(START.plus(PaymentAttempt.firstCheckAfter()));
    }

    @Test
    @DisplayName("pending keeps the provider's reference and is checked again; success and decline are final")
    void outcomes() {
        PaymentAttempt pending = started.after(new PaymentOutcome.Pending("pi_1", "pi_1_secret", null), START);
        assertThat(pending.status()).isEqualTo(PaymentAttempt.Status.PENDING);
        assertThat(pending.reference()).isEqualTo("pi_1");
        assertThat(pending.nextCheckAt()).isEqualTo(START.plusSeconds(30));

        PaymentAttempt succeeded = pending.after(new PaymentOutcome.Succeeded("pi_1", TEN), START.plusSeconds(5));
        assertThat(succeeded.status()).isEqualTo(PaymentAttempt.Status.SUCCEEDED);
        assertThat(succeeded.nextCheckAt()).isNull();

        PaymentAttempt declined = pending.after(new PaymentOutcome.Declined("pi_1", "insufficient_funds", "no"),
                START.plusSeconds(5));
        assertThat(declined.status()).isEqualTo(PaymentAttempt.Status.DECLINED);
        assertThat(declined.declineCode()).isEqualTo("insufficient_funds");
        assertThat(declined.nextCheckAt()).isNull();
    }

    @Test
    @DisplayName("PayPal's capture id does not replace the order the attempt is known by")
    void referenceStays() {
        PaymentAttempt pending = started.after(new PaymentOutcome.Pending("ORDER-1", null, "https://paypal"), START);
        assertThat(pending.after(new PaymentOutcome.Succeeded("CAPTURE-1", TEN), START).reference())
                .isEqualTo("ORDER-1");
    }

    @Test
    @DisplayName("an unknown outcome is never final: it backs off, doubling to an hour, then ends unresolved")
    void unknownBacksOffThenEndsUnresolved() {
        PaymentAttempt attempt = started.after(new PaymentOutcome.Unknown(null, "TIMEOUT"), START);
        assertThat(attempt.status()).isEqualTo(PaymentAttempt.Status.UNKNOWN);
        assertThat(attempt.declineCode()).isEqualTo("TIMEOUT");
        assertThat(attempt.nextCheckAt()).isEqualTo(START.plusSeconds(30));
        assertThat(withChecks(attempt, 3).after(new PaymentOutcome.Unknown(null, "HTTP_503"), START).nextCheckAt())
                .isEqualTo(START.plusSeconds(240));
        assertThat(withChecks(attempt, 9).after(new PaymentOutcome.Unknown(null, "HTTP_503"), START).nextCheckAt())
                .isEqualTo(START.plus(Duration.ofHours(1)));

        PaymentAttempt dead = withChecks(attempt, PaymentAttempt.MAX_CHECKS)
                .after(new PaymentOutcome.Unknown(null, "HTTP_503"), START);
        assertThat(dead.status()).isEqualTo(PaymentAttempt.Status.UNRESOLVED);
        assertThat(dead.nextCheckAt()).isNull();
        PaymentAttempt reopened = dead.reopened(START);
        assertThat(reopened.status()).isEqualTo(PaymentAttempt.Status.UNKNOWN);
        assertThat(reopened.checks()).isZero();
        assertThat(reopened.nextCheckAt()).isEqualTo(START);
    }

    @Test
    @DisplayName("a payer who has not finished within the window is given up")
    void abandoned() {
        PaymentAttempt late = started.after(new PaymentOutcome.Pending("pi_1", null, null),
                START.plus(PaymentAttempt.PAYER_WINDOW));
        assertThat(late.status()).isEqualTo(PaymentAttempt.Status.ABANDONED);
        assertThat(late.nextCheckAt()).isNull();
    }

    @Test
    @DisplayName("manual payments and empty amounts are not attempts")
    void refused() {
        assertThatThrownBy(() -> PaymentAttempt.start(UUID.randomUUID(), new TenantId(UUID.randomUUID()),
                UUID.randomUUID(), UUID.randomUUID(), Payment.Provider.MANUAL, PaymentAttempt.Purpose.CHECKOUT, TEN,
                null, START)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentAttempt.start(UUID.randomUUID(), new TenantId(UUID.randomUUID()),
                UUID.randomUUID(), UUID.randomUUID(), Payment.Provider.STRIPE, PaymentAttempt.Purpose.CHECKOUT,
                Money.ofMinor(0, "EUR"), null, START)).isInstanceOf(IllegalArgumentException.class);
    }

    private static PaymentAttempt withChecks(PaymentAttempt a, int checks) {
        return new PaymentAttempt(a.id(), a.tenant(), a.invoiceId(), a.customerId(), a.provider(), a.purpose(),
                a.amount(), a.paymentMethodReference(), a.status(), a.reference(), a.paymentId(), a.declineCode(),
                a.declineMessage(), checks, a.nextCheckAt(), a.createdAt(), a.updatedAt(), a.version());
    }
}
