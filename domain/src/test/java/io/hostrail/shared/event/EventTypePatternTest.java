package io.hostrail.shared.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTypePatternTest {

    @Test
    void anExactTypeMatchesOnlyThatType() {
        EventTypePattern pattern = EventTypePattern.parse("invoice.finalized");

        assertThat(pattern.matches("invoice.finalized")).isTrue();
        assertThat(pattern.matches("invoice.voided")).isFalse();
        assertThat(pattern.matches("invoice.finalized.late")).isFalse();
    }

    @Test
    void aPrefixMatchesEveryTypeBelowIt() {
        EventTypePattern pattern = EventTypePattern.parse("invoice.*");

        assertThat(pattern.matches("invoice.finalized")).isTrue();
        assertThat(pattern.matches("invoice.line.added")).isTrue();
    }

    @Test
    void aPrefixDoesNotMatchALongerNameNorThePrefixItself() {
        EventTypePattern pattern = EventTypePattern.parse("invoice.*");

        assertThat(pattern.matches("invoices.x")).isFalse();
        assertThat(pattern.matches("invoice")).isFalse();
        assertThat(pattern.matches("payment.succeeded")).isFalse();
    }

    @Test
    void aMultiLevelPrefixMatchesOnlyBelowItsLastLevel() {
        EventTypePattern pattern = EventTypePattern.parse("invoice.line.*");

        assertThat(pattern.matches("invoice.line.added")).isTrue();
        assertThat(pattern.matches("invoice.finalized")).isFalse();
    }

    @Test
    void aStarMatchesEverything() {
        EventTypePattern pattern = EventTypePattern.parse("*");

        assertThat(pattern.matches("invoice.finalized")).isTrue();
        assertThat(pattern.matches("payment.succeeded")).isTrue();
        assertThat(pattern.matches("service.provisioning.failed")).isTrue();
    }

    @Test
    void allIsTheStarPattern() {
        assertThat(EventTypePattern.all().matches("anything.at_all")).isTrue();
        assertThat(EventTypePattern.all()).isEqualTo(EventTypePattern.parse("*"));
        assertThat(EventTypePattern.all()).hasToString("*");
    }

    @Test
    void aCommaListMatchesAnyOfItsAlternatives() {
        EventTypePattern pattern = EventTypePattern.parse("invoice.*, payment.succeeded");

        assertThat(pattern.matches("invoice.finalized")).isTrue();
        assertThat(pattern.matches("payment.succeeded")).isTrue();
        assertThat(pattern.matches("payment.failed")).isFalse();
    }

    @Test
    void normalisesTheExpressionByDroppingSpacesAndEmptyEntries() {
        EventTypePattern pattern = EventTypePattern.parse("  invoice.* ,, payment.succeeded , ");

        assertThat(pattern.expression()).isEqualTo("invoice.*,payment.succeeded");
        assertThat(pattern).hasToString("invoice.*,payment.succeeded");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " , ", "Invoice.*", "invoice*", "inv oice.x", "invoice", "invoice.", ".*", "*.finalized",
            "invoice.*, Payment.succeeded"})
    void refusesInvalidPatterns(String expression) {
        assertThatThrownBy(() -> EventTypePattern.parse(expression)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAMissingExpression() {
        assertThatThrownBy(() -> EventTypePattern.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isEqualWhenItHasTheSameAlternatives() {
        EventTypePattern spaced = EventTypePattern.parse("invoice.*, payment.succeeded");
        EventTypePattern compact = EventTypePattern.parse("invoice.*,payment.succeeded");

        assertThat(spaced).isEqualTo(compact).hasSameHashCodeAs(compact);
    }

    @Test
    void isNotEqualWhenItsAlternativesDiffer() {
        EventTypePattern pattern = EventTypePattern.parse("invoice.*");

        assertThat(pattern)
                .isNotEqualTo(EventTypePattern.parse("invoice.finalized"))
                .isNotEqualTo(EventTypePattern.parse("invoice.*, payment.succeeded"))
                .isNotEqualTo("invoice.*");
    }
}
