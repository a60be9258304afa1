package io.hostrail.subscription.model;

import static io.hostrail.catalog.model.BillingCycle.ANNUAL;
import static io.hostrail.catalog.model.BillingCycle.MONTHLY;
import static io.hostrail.subscription.model.Proration.Granularity.DAY;
import static io.hostrail.subscription.model.Proration.Granularity.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hostrail.shared.model.CurrencyMismatchException;
import io.hostrail.shared.model.Money;
import io.hostrail.subscription.model.Proration.Result;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProrationTest {

    /** April 2026: 30 days, 2,592,000 seconds. */
    private static final Period APRIL = new Period(Instant.parse("2026-04-01T00:00:00Z"),
            Instant.parse("2026-05-01T00:00:00Z"));
    /** Ten days used, in the afternoon of the eleventh. */
    private static final Instant APRIL_11 = Instant.parse("2026-04-11T15:00:00Z");

    @Test
    @DisplayName("by day: an upgrade from 10.00 to 20.00 EUR after 10 of 30 days credits 6.67 and charges 13.33")
    void upgradeByDay() {
        Result result = Proration.calculate(APRIL, APRIL_11, eur("10.00"), MONTHLY, eur("20.00"), MONTHLY, DAY);
        assertThat(result.remainingUnits()).isEqualTo(20);
        assertThat(result.totalUnits()).isEqualTo(30);
        assertThat(result.credit()).isEqualTo(eur("-6.67"));
        assertThat(result.charge()).isEqualTo(eur("13.33"));
        assertThat(result.net()).isEqualTo(eur("6.66"));
        assertThat(result.newPeriod()).isEqualTo(APRIL);
    }

    @Test
    @DisplayName("by second: the same change counts the 15 hours of the eleventh as used")
    void upgradeBySecond() {
        Result result = Proration.calculate(APRIL, APRIL_11, eur("10.00"), MONTHLY, eur("20.00"), MONTHLY, SECOND);
        // 19 days 9 hours of 30 days: 1,674,000 / 2,592,000 = 0.6458333...
        assertThat(result.remainingUnits()).isEqualTo(1_674_000);
        assertThat(result.totalUnits()).isEqualTo(2_592_000);
        assertThat(result.credit()).isEqualTo(eur("-6.46"));
        assertThat(result.charge()).isEqualTo(eur("12.92"));
        assertThat(result.net()).isEqualTo(eur("6.46"));
    }

    @Test
    @DisplayName("a downgrade nets to a credit")
    void downgrade() {
        Result result = Proration.calculate(APRIL, APRIL_11, eur("20.00"), MONTHLY, eur("10.00"), MONTHLY, DAY);
        assertThat(result.credit()).isEqualTo(eur("-13.33"));
        assertThat(result.charge()).isEqualTo(eur("6.67"));
        assertThat(result.net()).isEqualTo(eur("-6.66"));
    }

    @Test
    @DisplayName("at the start of the period the whole old amount is credited and the whole new one charged")
    void atTheStart() {
        Result result = Proration.calculate(APRIL, APRIL.start(), eur("10.00"), MONTHLY, eur("20.00"), MONTHLY, SECOND);
        assertThat(result.credit()).isEqualTo(eur("-10.00"));
        assertThat(result.charge()).isEqualTo(eur("20.00"));
    }

    @Test
    @DisplayName("by day, the day a period starts on is a whole day, and the part of the day it ends on is not counted")
    void partialDays() {
        Period period = new Period(Instant.parse("2026-04-15T10:00:00Z"), Instant.parse("2026-05-15T10:00:00Z"));
        Result lastDay = Proration.calculate(period, Instant.parse("2026-05-15T09:59:59Z"), eur("30.00"), MONTHLY,
                eur("60.00"), MONTHLY, DAY);
        assertThat(lastDay.totalUnits()).isEqualTo(30);
        assertThat(lastDay.remainingUnits()).isZero();
        assertThat(lastDay.net()).isEqualTo(eur("0.00"));
        Result firstDay = Proration.calculate(period, Instant.parse("2026-04-15T23:00:00Z"), eur("30.00"), MONTHLY,
                eur("60.00"), MONTHLY, DAY);
        assertThat(firstDay.credit()).isEqualTo(eur("-30.00"));
    }

    @Test
    @DisplayName("a new cycle credits the unused part and charges the new cycle in full from the change")
    void newCycle() {
        Result result = Proration.calculate(APRIL, APRIL_11, eur("10.00"), MONTHLY, eur("100.00"), ANNUAL, DAY);
        assertThat(result.credit()).isEqualTo(eur("-6.67"));
        assertThat(result.charge()).isEqualTo(eur("100.00"));
        assertThat(result.net()).isEqualTo(eur("93.33"));
        assertThat(result.newPeriod()).isEqualTo(new Period(APRIL_11, Instant.parse("2027-04-11T15:00:00Z")));
    }

    @Test
    @DisplayName("each currency rounds to its own minor unit, exact halves to even")
    void currencies() {
        Result bhd = Proration.calculate(APRIL, APRIL_11, Money.parse("10.000", "BHD"), MONTHLY,
                Money.parse("20.000", "BHD"), MONTHLY, DAY);
        assertThat(bhd.credit()).isEqualTo(Money.parse("-6.667", "BHD"));
        assertThat(bhd.charge()).isEqualTo(Money.parse("13.333", "BHD"));
        // One day left of six: 3/6 = 0.5 yen rounds to 0, 9/6 = 1.5 yen to 2. A ratio of 0.1666...7 would give 1 and 2.
        Period sixDays = new Period(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-04-07T00:00:00Z"));
        Instant lastDay = Instant.parse("2026-04-06T12:00:00Z");
        Result yen = Proration.calculate(sixDays, lastDay, Money.parse("3", "JPY"), MONTHLY, Money.parse("9", "JPY"),
                MONTHLY, DAY);
        assertThat(yen.credit()).isEqualTo(Money.parse("0", "JPY"));
        assertThat(yen.charge()).isEqualTo(Money.parse("2", "JPY"));
    }

    @Test
    @DisplayName("changes outside the period, mixed currencies, negative amounts and day-less periods are refused")
    void refusals() {
        assertThatIllegalArgumentException().isThrownBy(() -> Proration.calculate(APRIL, APRIL.start().minusNanos(1),
                eur("10.00"), MONTHLY, eur("20.00"), MONTHLY, DAY)).withMessageStartingWith("at: ");
        assertThatIllegalArgumentException().isThrownBy(() -> Proration.calculate(APRIL, APRIL.end(), eur("10.00"),
                MONTHLY, eur("20.00"), MONTHLY, DAY)).withMessageStartingWith("at: ");
        assertThatIllegalArgumentException().isThrownBy(() -> Proration.calculate(APRIL, APRIL_11, eur("10.00"),
                MONTHLY, Money.parse("20.00", "USD"), MONTHLY, DAY)).isInstanceOf(CurrencyMismatchException.class)
                .withMessage("cannot combine EUR with USD");
        assertThatIllegalArgumentException().isThrownBy(() -> Proration.calculate(APRIL, APRIL_11, eur("-10.00"),
                MONTHLY, eur("20.00"), MONTHLY, DAY)).withMessage("amounts must not be negative");
        Period hours = new Period(Instant.parse("2026-04-01T08:00:00Z"), Instant.parse("2026-04-01T20:00:00Z"));
        assertThatIllegalArgumentException().isThrownBy(() -> Proration.calculate(hours, hours.start(), eur("1.00"),
                MONTHLY, eur("2.00"), MONTHLY, DAY)).withMessageStartingWith("period: ");
        assertThat(Proration.calculate(hours, hours.start(), eur("1.00"), MONTHLY, eur("2.00"), MONTHLY, SECOND).net())
                .isEqualTo(eur("1.00"));
    }

    private static Money eur(String amount) {
        return Money.parse(amount, "EUR");
    }
}
