package io.hostrail.subscription.model;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.shared.model.CurrencyMismatchException;
import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * What a plan change in the middle of a paid period costs: a credit for the unused part of the old plan and a charge
 * for the new one.
 *
 * <p>The unused part is the fraction {@code remaining / total} of the period, counted in whole units of a
 * {@link Granularity}. Both the credit and a same-cycle charge are {@code amount * remaining / total} rounded once,
 * half-even, so a change to the same amount nets to exactly zero and the credit plus the used part is exactly what was
 * paid. A new cycle starts a new period at the change instant and is charged in full.
 */
public final class Proration {

    /** The unit remaining and total time are counted in. */
    public enum Granularity {
        /**
         * Whole UTC calendar days. A period's days are the dates from its start's (inclusive) to its end's (exclusive);
         * the remaining ones run from the change's date, inclusive: the day of the change is credited in full and
         * charged on the new plan. A change on the end's date, before the end's time, leaves nothing to credit.
         */
        DAY,
        /** Whole seconds; a partial second left before the end is not counted. */
        SECOND
    }

    /**
     * @param credit         minus the unused part of the old amount; never positive
     * @param charge         the new amount for the remaining part of the period, or in full for a new cycle
     * @param net            {@code credit + charge}: what the customer owes (positive) or is owed (negative)
     * @param remainingUnits the units from the change to the end of the old period
     * @param totalUnits     the units of the old period
     * @param newPeriod      the period the subscription is in after the change
     */
    public record Result(Money credit, Money charge, Money net, long remainingUnits, long totalUnits,
            Period newPeriod) {

        public Result {
            Objects.requireNonNull(credit, "credit");
            Objects.requireNonNull(charge, "charge");
            Objects.requireNonNull(net, "net");
            Objects.requireNonNull(newPeriod, "newPeriod");
            if (credit.isPositive()) {
                throw new IllegalArgumentException("credit: must not be positive");
            }
            if (charge.isNegative()) {
                throw new IllegalArgumentException("charge: must not be negative");
            }
            if (!credit.plus(charge).equals(net)) {
                throw new IllegalArgumentException("net: must be credit plus charge");
            }
            if (totalUnits <= 0 || remainingUnits < 0 || remainingUnits > totalUnits) {
                throw new IllegalArgumentException("remainingUnits: must be between 0 and totalUnits (> 0)");
            }
        }
    }

    private Proration() {
    }

    /**
     * @param period    the current period, paid for with {@code oldAmount} on {@code oldCycle}
     * @param at        when the plan changes; an instant of {@code period}
     * @param oldAmount what the old plan costs for a full period (price times quantity, plus options)
     * @param newAmount what the new plan costs for a full period of {@code newCycle}, in the same currency
     */
    public static Result calculate(Period period, Instant at, Money oldAmount, BillingCycle oldCycle, Money newAmount,
            BillingCycle newCycle, Granularity granularity) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(oldAmount, "oldAmount");
        Objects.requireNonNull(newAmount, "newAmount");
        Objects.requireNonNull(oldCycle, "oldCycle");
        Objects.requireNonNull(newCycle, "newCycle");
        Objects.requireNonNull(granularity, "granularity");
        if (!period.contains(at)) {
            throw new IllegalArgumentException("at: " + at + " is outside the period " + period);
        }
        if (!oldAmount.currency().equals(newAmount.currency())) {
            throw new CurrencyMismatchException(oldAmount.currency(), newAmount.currency());
        }
        if (oldAmount.isNegative() || newAmount.isNegative()) {
            throw new IllegalArgumentException("amounts must not be negative");
        }
        long total = units(period.start(), period.end(), granularity);
        if (total == 0) {
            throw new IllegalArgumentException("period: " + period + " holds no whole "
                    + granularity.name().toLowerCase(Locale.ROOT) + " to prorate by");
        }
        long remaining = units(at, period.end(), granularity);
        boolean newCycleStarts = oldCycle != newCycle;
        Money credit = share(oldAmount, remaining, total).negate();
        Money charge = newCycleStarts ? newAmount : share(newAmount, remaining, total);
        Period newPeriod = newCycleStarts ? BillingPeriods.period(at, newCycle, 0) : period;
        return new Result(credit, charge, credit.plus(charge), remaining, total, newPeriod);
    }

    private static long units(Instant from, Instant to, Granularity granularity) {
        return switch (granularity) {
            case DAY -> ChronoUnit.DAYS.between(date(from), date(to));
            case SECOND -> Duration.between(from, to).getSeconds();
        };
    }

    private static LocalDate date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * {@code amount * remaining / total}, rounded once by {@link Money#times}. The quotient is taken in minor units
     * first: a tie (an exact half) has at most 20 digits and comes out exact, and any other quotient is at least
     * {@code 1 / (2 * total)} away from a tie, far more than DECIMAL128 can be off with 15 or more digits after the
     * point. Scaling the amount by a rounded ratio instead would turn some exact halves (1/6 of 3) into near-halves and
     * round them the wrong way.
     */
    private static Money share(Money amount, long remaining, long total) {
        BigDecimal minorUnits = BigDecimal.valueOf(amount.minorUnits()).multiply(BigDecimal.valueOf(remaining))
                .divide(BigDecimal.valueOf(total), MathContext.DECIMAL128);
        return new Money(1, amount.currency()).times(minorUnits, Money.DEFAULT_ROUNDING);
    }
}
