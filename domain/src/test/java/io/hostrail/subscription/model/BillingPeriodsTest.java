package io.hostrail.subscription.model;

import static io.hostrail.catalog.model.BillingCycle.ANNUAL;
import static io.hostrail.catalog.model.BillingCycle.MONTHLY;
import static io.hostrail.catalog.model.BillingCycle.ONE_TIME;
import static io.hostrail.catalog.model.BillingCycle.QUARTERLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hostrail.catalog.model.BillingCycle;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BillingPeriodsTest {

    @Test
    @DisplayName("a monthly anchor on the 31st clamps to short months without drifting: Jan 31, Feb 29, Mar 31, Apr 30")
    void monthlyFromTheThirtyFirstInALeapYear() {
        Instant anchor = Instant.parse("2028-01-31T09:30:00Z");
        assertThat(starts(anchor, MONTHLY, 5)).containsExactly("2028-01-31T09:30:00Z", "2028-02-29T09:30:00Z",
                "2028-03-31T09:30:00Z", "2028-04-30T09:30:00Z", "2028-05-31T09:30:00Z");
    }

    @Test
    @DisplayName("outside a leap year the same anchor bills Feb 28 and is back on the 31st in March")
    void monthlyFromTheThirtyFirst() {
        Instant anchor = Instant.parse("2027-01-31T00:00:00Z");
        assertThat(starts(anchor, MONTHLY, 3)).containsExactly("2027-01-31T00:00:00Z", "2027-02-28T00:00:00Z",
                "2027-03-31T00:00:00Z");
        assertThat(BillingPeriods.period(anchor, MONTHLY, 1)).isEqualTo(
                new Period(Instant.parse("2027-02-28T00:00:00Z"), Instant.parse("2027-03-31T00:00:00Z")));
    }

    @Test
    @DisplayName("quarterly from Nov 30 passes through Feb 29 and returns to the 30th")
    void quarterly() {
        Instant anchor = Instant.parse("2027-11-30T12:00:00Z");
        assertThat(starts(anchor, QUARTERLY, 4)).containsExactly("2027-11-30T12:00:00Z", "2028-02-29T12:00:00Z",
                "2028-05-30T12:00:00Z", "2028-08-30T12:00:00Z");
    }

    @Test
    @DisplayName("an annual anchor on Feb 29 bills Feb 28 in common years and Feb 29 again in the next leap year")
    void annualOnLeapDay() {
        Instant anchor = Instant.parse("2028-02-29T00:00:00Z");
        assertThat(starts(anchor, ANNUAL, 5)).containsExactly("2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z",
                "2030-02-28T00:00:00Z", "2031-02-28T00:00:00Z", "2032-02-29T00:00:00Z");
    }

    @Test
    @DisplayName("a boundary belongs to the period it starts; the instant before it to the one it ends")
    void periodContainingAtBoundaries() {
        Instant anchor = Instant.parse("2028-01-31T09:30:00Z");
        Instant february = Instant.parse("2028-02-29T09:30:00Z");
        Period first = BillingPeriods.period(anchor, MONTHLY, 0);
        Period second = BillingPeriods.period(anchor, MONTHLY, 1);

        assertThat(BillingPeriods.periodContaining(anchor, MONTHLY, anchor)).isEqualTo(first);
        assertThat(BillingPeriods.periodContaining(anchor, MONTHLY, february.minusNanos(1))).isEqualTo(first);
        assertThat(BillingPeriods.periodContaining(anchor, MONTHLY, february)).isEqualTo(second);
        assertThat(BillingPeriods.indexOf(anchor, MONTHLY, Instant.parse("2030-01-31T09:30:00Z"))).isEqualTo(24);
        assertThat(BillingPeriods.indexOf(anchor, MONTHLY, Instant.parse("2030-01-31T09:29:59Z"))).isEqualTo(23);
        assertThat(first.contains(anchor)).isTrue();
        assertThat(first.contains(february)).isFalse();
    }

    @Test
    @DisplayName("the next period is looked up from the anchor, also after a trial that ends on it")
    void next() {
        Instant anchor = Instant.parse("2027-01-31T00:00:00Z");
        Period trial = new Period(anchor.minus(Duration.ofDays(14)), anchor);
        assertThat(BillingPeriods.next(anchor, MONTHLY, trial)).isEqualTo(BillingPeriods.period(anchor, MONTHLY, 0));
        assertThat(BillingPeriods.next(anchor, MONTHLY, BillingPeriods.period(anchor, MONTHLY, 1)))
                .isEqualTo(BillingPeriods.period(anchor, MONTHLY, 2));
    }

    @Test
    @DisplayName("one-time cycles, negative indexes and instants before the anchor are refused")
    void refusals() {
        Instant anchor = Instant.parse("2027-01-31T00:00:00Z");
        assertThatIllegalArgumentException().isThrownBy(() -> BillingPeriods.periodStart(anchor, ONE_TIME, 0))
                .withMessage("cycle: one_time does not recur and has no periods");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BillingPeriods.periodContaining(anchor, ONE_TIME, anchor));
        assertThatIllegalArgumentException().isThrownBy(() -> BillingPeriods.periodStart(anchor, MONTHLY, -1))
                .withMessage("k: must not be negative");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BillingPeriods.periodContaining(anchor, MONTHLY, anchor.minusSeconds(1)))
                .withMessageStartingWith("instant: ");
    }

    @Test
    @DisplayName("a period starts before it ends and measures its length")
    void period() {
        Instant start = Instant.parse("2027-04-01T00:00:00Z");
        assertThat(new Period(start, start.plus(Duration.ofDays(30))).duration()).isEqualTo(Duration.ofDays(30));
        assertThatIllegalArgumentException().isThrownBy(() -> new Period(start, start))
                .withMessageStartingWith("period: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new Period(start, start.minusNanos(1)));
    }

    private static String[] starts(Instant anchor, BillingCycle cycle, int count) {
        return IntStream.range(0, count).mapToObj(k -> BillingPeriods.periodStart(anchor, cycle, k).toString())
                .toArray(String[]::new);
    }
}
