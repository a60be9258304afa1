package io.hostrail.subscription.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.shared.model.Money;
import io.hostrail.subscription.model.Proration.Granularity;
import io.hostrail.subscription.model.Proration.Result;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/** What must hold for any period, change instant, amounts, currency and granularity: no minor unit created or lost. */
class ProrationProperties {

    /** A paid period of a subscription and an instant in it. */
    record Change(Currency currency, BillingCycle cycle, Period period, Instant at) {
    }

    @Property(tries = 1000)
    void creditAndChargeAreTheRoundedShares(@ForAll("changes") Change change, @ForAll("minorUnits") long oldMinor,
            @ForAll("minorUnits") long newMinor, @ForAll Granularity granularity) {
        Money old = new Money(oldMinor, change.currency());
        Money next = new Money(newMinor, change.currency());
        Result result = Proration.calculate(change.period(), change.at(), old, change.cycle(), next, change.cycle(),
                granularity);

        long r = result.remainingUnits();
        long t = result.totalUnits();
        assertThat(r).isBetween(0L, t);
        Money unused = result.credit().negate();
        Money used = old.minus(unused);
        assertThat(unused.minorUnits()).isBetween(0L, oldMinor);
        assertThat(used.minorUnits()).isBetween(0L, oldMinor);
        assertThat(used.plus(unused)).isEqualTo(old);
        // Each share rounded exactly once; the used part, what is left, is then within half a minor unit of its own.
        assertRoundedHalfEven(unused, oldMinor, r, t);
        assertRoundedHalfEven(result.charge(), newMinor, r, t);
        BigInteger usedError = times(used.minorUnits(), t).subtract(times(oldMinor, t - r));
        assertThat(usedError.abs().shiftLeft(1)).isLessThanOrEqualTo(BigInteger.valueOf(t));
        assertThat(result.charge().minorUnits()).isBetween(0L, newMinor);
        assertThat(result.net()).isEqualTo(result.credit().plus(result.charge()));
        assertThat(result.newPeriod()).isEqualTo(change.period());
    }

    @Property(tries = 1000)
    void anUnchangedAmountNetsToZero(@ForAll("changes") Change change, @ForAll("minorUnits") long minor,
            @ForAll Granularity granularity) {
        Money amount = new Money(minor, change.currency());
        Result result = Proration.calculate(change.period(), change.at(), amount, change.cycle(), amount,
                change.cycle(), granularity);
        assertThat(result.net().isZero()).isTrue();
    }

    @Property(tries = 1000)
    void atTheStartEverythingIsCredited(@ForAll("changes") Change change, @ForAll("minorUnits") long oldMinor,
            @ForAll("minorUnits") long newMinor, @ForAll Granularity granularity) {
        Money old = new Money(oldMinor, change.currency());
        Money next = new Money(newMinor, change.currency());
        Result result = Proration.calculate(change.period(), change.period().start(), old, change.cycle(), next,
                change.cycle(), granularity);
        assertThat(result.credit()).isEqualTo(old.negate());
        assertThat(result.charge()).isEqualTo(next);
    }

    @Property(tries = 1000)
    void aNewCycleIsChargedInFullFromTheChange(@ForAll("changes") Change change, @ForAll("cycles") BillingCycle cycle,
            @ForAll("minorUnits") long oldMinor, @ForAll("minorUnits") long newMinor, @ForAll Granularity granularity) {
        Assume.that(cycle != change.cycle());
        Money old = new Money(oldMinor, change.currency());
        Money next = new Money(newMinor, change.currency());
        Result result = Proration.calculate(change.period(), change.at(), old, change.cycle(), next, cycle,
                granularity);
        assertThat(result.charge()).isEqualTo(next);
        assertThat(result.credit().negate().minorUnits()).isBetween(0L, oldMinor);
        assertThat(result.newPeriod()).isEqualTo(BillingPeriods.period(change.at(), cycle, 0));
    }

    /**
     * Several upgrades and downgrades in one period: what the customer pays in the end (the first amount plus every
     * net) is what each plan costs for the time it was held, each rounded once: never negative per plan, exact when the
     * amount never changes, and within half a minor unit per rounding of the exact cost.
     */
    @Property(tries = 1000)
    void aSequenceOfChangesChargesForTheTimeEachPlanWasHeld(@ForAll("changes") Change change,
            @ForAll("plans") List<Long> amounts, @ForAll Granularity granularity,
            @ForAll("offsets") List<Long> offsets) {
        Period period = change.period();
        List<Instant> instants = offsets.stream().limit(amounts.size() - 1)
                .map(offset -> period.start().plusNanos(offset % period.duration().toNanos())).sorted().toList();
        Money paid = new Money(amounts.get(0), change.currency());
        Money chargedForCurrentPlan = paid;
        long[] remaining = new long[instants.size()];
        long total = 0;
        for (int i = 0; i < instants.size(); i++) {
            Result result = Proration.calculate(period, instants.get(i), new Money(amounts.get(i), change.currency()),
                    change.cycle(), new Money(amounts.get(i + 1), change.currency()), change.cycle(), granularity);
            // What a plan finally costs, its charge less its credit, is never negative.
            assertThat(chargedForCurrentPlan.plus(result.credit()).isNegative()).isFalse();
            paid = paid.plus(result.net());
            chargedForCurrentPlan = result.charge();
            remaining[i] = result.remainingUnits();
            total = result.totalUnits();
        }
        // Plan i is held from the previous change (the start for the first) to its own change (the end for the last).
        BigInteger exactTimesTotal = BigInteger.ZERO;
        for (int i = 0; i <= instants.size(); i++) {
            long from = i == 0 ? total : remaining[i - 1];
            long to = i == instants.size() ? 0 : remaining[i];
            exactTimesTotal = exactTimesTotal.add(times(amounts.get(i), from - to));
        }
        assertThat(paid.isNegative()).isFalse();
        // |paid - exact| <= half a minor unit per rounding, two roundings per change; scaled by 2 * total.
        BigInteger error = times(paid.minorUnits(), total).subtract(exactTimesTotal).abs().shiftLeft(1);
        assertThat(error).isLessThanOrEqualTo(times(total, 2L * instants.size()));
        if (amounts.stream().distinct().count() == 1) {
            assertThat(paid.minorUnits()).isEqualTo(amounts.get(0));
        }
    }

    /** An amount whose share is an exact half: {@code minor * remaining / total = k + 1/2}. */
    record Tie(long minor, long remaining, long total) {
    }

    /**
     * Exact halves of a minor unit go to the even neighbour, also when the ratio has no finite decimal form (1/6 of
     * 3 yen): scaling by a rounded ratio would land just above or below the half and round the wrong way.
     */
    @Property(tries = 1000)
    void exactHalvesRoundToEven(@ForAll("ties") Tie tie, @ForAll("currencies") Currency currency,
            @ForAll("midnights") Instant start, @ForAll @LongRange(min = 0, max = 86_399) long secondOfDay) {
        Period period = new Period(start, start.plus(Duration.ofDays(tie.total())));
        Instant at = period.end().minus(Duration.ofDays(tie.remaining())).plusSeconds(secondOfDay);
        Money amount = new Money(tie.minor(), currency);
        Result result = Proration.calculate(period, at, amount, BillingCycle.MONTHLY, amount, BillingCycle.MONTHLY,
                Granularity.DAY);
        assertThat(result.remainingUnits()).isEqualTo(tie.remaining());
        assertThat(result.totalUnits()).isEqualTo(tie.total());
        long twiceShare = 2 * tie.minor() * tie.remaining() / tie.total();
        assertThat(2 * tie.minor() * tie.remaining() % tie.total()).as("a tie").isZero();
        assertThat(twiceShare % 2).as("a tie").isOne();
        assertThat(result.charge().minorUnits() % 2).as("rounded to even").isZero();
        assertRoundedHalfEven(result.charge(), tie.minor(), tie.remaining(), tie.total());
        assertThat(result.net().isZero()).isTrue();
    }

    private static BigInteger times(long a, long b) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
    }

    /** The share is {@code minor * numerator / denominator} rounded once, half-even, computed here in whole numbers. */
    private static void assertRoundedHalfEven(Money share, long minor, long numerator, long denominator) {
        BigInteger[] quotient = times(minor, numerator).divideAndRemainder(BigInteger.valueOf(denominator));
        int half = quotient[1].shiftLeft(1).compareTo(BigInteger.valueOf(denominator));
        boolean up = half > 0 || half == 0 && quotient[0].testBit(0);
        assertThat(share.minorUnits()).isEqualTo(quotient[0].longValueExact() + (up ? 1 : 0));
    }

    @Provide
    Arbitrary<Change> changes() {
        Arbitrary<Instant> anchors = Arbitraries.longs()
                .between(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("2100-01-01T00:00:00Z").getEpochSecond())
                .map(Instant::ofEpochSecond);
        Arbitrary<Long> ks = Arbitraries.longs().between(0, 40);
        Arbitrary<Long> offsets = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Combinators.combine(currencies(), cycles(), anchors, ks, offsets)
                .as((currency, cycle, anchor, k, offset) -> {
                    Period period = BillingPeriods.period(anchor, cycle, k);
                    Instant at = period.start().plusNanos(offset % period.duration().toNanos());
                    return new Change(currency, cycle, period, at);
                });
    }

    /**
     * Ties with a ratio {@code r / 2s} in lowest terms whose denominator has a factor other than 2 and 5: the amount
     * {@code s * j} (j odd) then has the share {@code r * j / 2}, a half. Scaling r and 2s by g keeps the ratio.
     */
    @Provide
    Arbitrary<Tie> ties() {
        return Arbitraries.integers().between(3, 60).filter(s -> withoutTwosAndFives(s) > 1).flatMap(s -> {
            // Odd and coprime to s, so r / 2s is in lowest terms.
            Arbitrary<Integer> rs = Arbitraries.integers().between(1, 2 * s - 1)
                    .filter(r -> r % 2 == 1 && BigInteger.valueOf(r).gcd(BigInteger.valueOf(s)).intValue() == 1);
            Arbitrary<Integer> odds = Arbitraries.integers().between(0, 5_000).map(k -> 2 * k + 1);
            Arbitrary<Integer> scales = Arbitraries.integers().between(1, Math.max(1, 1_000 / (2 * s)));
            return Combinators.combine(rs, odds, scales).as((r, j, g) -> new Tie((long) s * j, (long) r * g, 2L * s * g));
        });
    }

    private static int withoutTwosAndFives(int n) {
        while (n % 2 == 0) {
            n /= 2;
        }
        while (n % 5 == 0) {
            n /= 5;
        }
        return n;
    }

    @Provide
    Arbitrary<Currency> currencies() {
        return Arbitraries.of("EUR", "USD", "JPY", "BHD", "KWD").map(Currency::getInstance);
    }

    @Provide
    Arbitrary<Instant> midnights() {
        return Arbitraries.longs().between(LocalDate.of(2000, 1, 1).toEpochDay(), LocalDate.of(2100, 1, 1).toEpochDay())
                .map(day -> LocalDate.ofEpochDay(day).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @Provide
    Arbitrary<BillingCycle> cycles() {
        return Arbitraries.of(Arrays.stream(BillingCycle.values()).filter(BillingCycle::recurs).toList());
    }

    /** Up to 10^9 minor units; small amounts often, where exact halves are common. */
    @Provide
    Arbitrary<Long> minorUnits() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 1_000_000_000L)),
                Tuple.of(1, Arbitraries.longs().between(0, 100)));
    }

    @Provide
    Arbitrary<List<Long>> plans() {
        return minorUnits().list().ofMinSize(2).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Long>> offsets() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).list().ofSize(5);
    }
}
