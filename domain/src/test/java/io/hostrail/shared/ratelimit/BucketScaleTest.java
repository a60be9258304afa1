package io.hostrail.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BucketScaleTest {

    private static final long MICROSECOND = 1_000;
    private static final long LUA_MAX_EXACT = 1L << 53;

    @Test
    @DisplayName("common specs are exact at the finest tick, in small numbers")
    void commonSpecsAreExact() {
        assertThat(BucketScale.of(BucketSpec.perPeriod(100, Duration.ofMinutes(1)), MICROSECOND, LUA_MAX_EXACT))
                .isEqualTo(new BucketScale(60_000_000, 600_000, 1, MICROSECOND));
        assertThat(BucketScale.of(new BucketSpec(5, 1, Duration.ofSeconds(1)), 1, Long.MAX_VALUE / 4))
                .isEqualTo(new BucketScale(5_000_000_000L, 1_000_000_000, 1, 1));
    }

    @Test
    @DisplayName("every spec that fits is exact: units per tick over tick equals the spec's rate in units")
    void exactScalesKeepTheRate() {
        List<BucketSpec> specs = List.of(
                new BucketSpec(2, 2, Duration.ofMillis(200)),
                new BucketSpec(40, 1, Duration.ofHours(1)),
                new BucketSpec(10_000, 10_000, Duration.ofDays(1)),
                new BucketSpec(1_000_000, 7, Duration.ofSeconds(3)),
                new BucketSpec(3, 1_000_000, Duration.ofNanos(1)),
                new BucketSpec(BucketSpec.MAX_TOKENS, BucketSpec.MAX_TOKENS, Duration.ofSeconds(1)));
        for (BucketSpec spec : specs) {
            for (long maxUnits : new long[] {LUA_MAX_EXACT, Long.MAX_VALUE / 4}) {
                BucketScale scale = BucketScale.of(spec, MICROSECOND, maxUnits);
                assertThat(rateError(spec, scale)).as("%s at max %d: %s", spec, maxUnits, scale).isZero();
                assertThat(scale.capacityUnits()).isEqualTo(spec.capacity() * scale.unitsPerToken()).isLessThanOrEqualTo(maxUnits);
                assertThat(scale.tickNanos() % MICROSECOND).isZero();
            }
        }
    }

    @Test
    @DisplayName("a coarser tick is used when the finest would need too many units")
    void coarserTickWhenNeeded() {
        // 9973 (a prime) a day: at 1 µs a token is 8.64e10 units, and ~100 days' worth is 8.6e16, past 2^53.
        BucketSpec primeRate = new BucketSpec(997_300, 9_973, Duration.ofDays(1));

        BucketScale scale = BucketScale.of(primeRate, MICROSECOND, LUA_MAX_EXACT);

        assertThat(scale.tickNanos()).isEqualTo(10 * MICROSECOND);
        assertThat(rateError(primeRate, scale)).isZero();
        assertThat(scale.capacityUnits()).isLessThanOrEqualTo(LUA_MAX_EXACT);
    }

    @Test
    @DisplayName("a spec with no exact fit gets its rate rounded, off by less than 0.02 %")
    void awkwardSpecsAreCloseEnough() {
        // 3^30 ns (about 2.4 days) shares no factor with any power of ten.
        BucketSpec awkward = new BucketSpec(BucketSpec.MAX_TOKENS / 1000, BucketSpec.MAX_TOKENS / 1000, Duration.ofNanos(205_891_132_094_649L));
        BucketScale scale = BucketScale.of(awkward, MICROSECOND, LUA_MAX_EXACT);

        assertThat(rateError(awkward, scale)).isGreaterThan(0).isLessThan(0.0002);
        assertThat(scale.capacityUnits()).isLessThanOrEqualTo(LUA_MAX_EXACT);
    }

    @Test
    void refusesUnusableArguments() {
        BucketSpec spec = BucketSpec.perPeriod(1, Duration.ofSeconds(1));
        assertThatThrownBy(() -> BucketScale.of(spec, 0, LUA_MAX_EXACT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BucketScale.of(spec, 2_000_000, LUA_MAX_EXACT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BucketScale.of(spec, 1, 1_000_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BucketScale(1, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Relative difference between the scale's refill rate and the spec's, in tokens per nanosecond. */
    private static double rateError(BucketSpec spec, BucketScale scale) {
        // scale: unitsPerTick / (unitsPerToken * tickNanos); spec: refillTokens / periodNanos
        BigInteger scaleSide = BigInteger.valueOf(scale.unitsPerTick()).multiply(BigInteger.valueOf(spec.refillPeriod().toNanos()));
        BigInteger specSide = BigInteger.valueOf(spec.refillTokens()).multiply(BigInteger.valueOf(scale.unitsPerToken()))
                .multiply(BigInteger.valueOf(scale.tickNanos()));
        return Math.abs(scaleSide.subtract(specSide).doubleValue()) / specSide.doubleValue();
    }
}
