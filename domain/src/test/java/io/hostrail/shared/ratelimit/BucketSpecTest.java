package io.hostrail.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BucketSpecTest {

    @Test
    void perPeriodRefillsItsCapacityEveryPeriod() {
        assertThat(BucketSpec.perPeriod(100, Duration.ofMinutes(1)))
                .isEqualTo(new BucketSpec(100, 100, Duration.ofMinutes(1)));
    }

    @Test
    void timeToFillIsCapacityOverRateRoundedUpToTheNanosecond() {
        assertThat(new BucketSpec(40, 1, Duration.ofHours(1)).timeToFill()).isEqualTo(Duration.ofHours(40));
        assertThat(new BucketSpec(2, 2, Duration.ofMillis(200)).timeToFill()).isEqualTo(Duration.ofMillis(200));
        assertThat(new BucketSpec(1, 3, Duration.ofSeconds(1)).timeToFill()).isEqualTo(Duration.ofNanos(333_333_334));
    }

    @Test
    void refusesEmptyOrOversizedBuckets() {
        assertThatThrownBy(() -> new BucketSpec(0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new BucketSpec(BucketSpec.MAX_TOKENS + 1, BucketSpec.MAX_TOKENS, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new BucketSpec(1, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill tokens");
        assertThatThrownBy(() -> new BucketSpec(1, BucketSpec.MAX_TOKENS + 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill tokens");
    }

    @Test
    void refusesPeriodsThatAreNotPositiveOrTooLong() {
        assertThatThrownBy(() -> new BucketSpec(1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill period");
        assertThatThrownBy(() -> new BucketSpec(1, 1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill period");
        assertThatThrownBy(() -> new BucketSpec(1, 1, Duration.ofDays(367)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill period");
        assertThatThrownBy(() -> new BucketSpec(1, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesBucketsThatWouldTakeOverAYearToFill() {
        assertThat(new BucketSpec(366, 1, Duration.ofDays(1)).timeToFill()).isEqualTo(BucketSpec.MAX_PERIOD);
        assertThatThrownBy(() -> new BucketSpec(367, 1, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to fill");
    }
}
