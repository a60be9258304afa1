package io.hostrail.subscription.model;

import io.hostrail.catalog.model.BillingCycle;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The billing periods of a subscription, counted from its anchor in UTC: period {@code k} is
 * {@code [anchor + k * months, anchor + (k + 1) * months)}.
 *
 * <p>Every boundary is computed from the anchor, never from the previous boundary, so an anchor on the 31st bills
 * Jan 31, Feb 28 (or 29), Mar 31: a short month clamps one boundary without dragging the later ones with it.
 */
public final class BillingPeriods {

    private BillingPeriods() {
    }

    /** The start of period {@code k} (0 is the one starting at the anchor). */
    public static Instant periodStart(Instant anchor, BillingCycle cycle, long k) {
        Objects.requireNonNull(anchor, "anchor");
        int months = requireRecurring(cycle);
        if (k < 0) {
            throw new IllegalArgumentException("k: must not be negative");
        }
        return anchor.atZone(ZoneOffset.UTC).plusMonths(Math.multiplyExact(k, months)).toInstant();
    }

    /** Period {@code k}. */
    public static Period period(Instant anchor, BillingCycle cycle, long k) {
        return new Period(periodStart(anchor, cycle, k), periodStart(anchor, cycle, Math.addExact(k, 1)));
    }

    /** The period {@code instant} falls in; an instant on a boundary starts the later period. */
    public static Period periodContaining(Instant anchor, BillingCycle cycle, Instant instant) {
        return period(anchor, cycle, indexOf(anchor, cycle, instant));
    }

    /**
     * The period after {@code period}: the one starting at its end. Also right after a trial period that ends at the
     * anchor, and after a period of an earlier anchor, since it is looked up rather than shifted.
     */
    public static Period next(Instant anchor, BillingCycle cycle, Period period) {
        Objects.requireNonNull(period, "period");
        return periodContaining(anchor, cycle, period.end());
    }

    /** The index {@code k} of the period {@code instant} falls in. */
    public static long indexOf(Instant anchor, BillingCycle cycle, Instant instant) {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(instant, "instant");
        int months = requireRecurring(cycle);
        if (instant.isBefore(anchor)) {
            throw new IllegalArgumentException("instant: " + instant + " is before the anchor " + anchor);
        }
        ZonedDateTime from = anchor.atZone(ZoneOffset.UTC);
        // Whole months between the two can be one short of the clamped boundaries (Jan 31 -> Feb 29): adjust.
        long k = ChronoUnit.MONTHS.between(from, instant.atZone(ZoneOffset.UTC)) / months;
        while (!periodStart(anchor, cycle, k + 1).isAfter(instant)) {
            k++;
        }
        while (periodStart(anchor, cycle, k).isAfter(instant)) {
            k--;
        }
        return k;
    }

    private static int requireRecurring(BillingCycle cycle) {
        Objects.requireNonNull(cycle, "cycle");
        if (!cycle.recurs()) {
            throw new IllegalArgumentException("cycle: " + cycle.wireName() + " does not recur and has no periods");
        }
        return cycle.months();
    }
}
