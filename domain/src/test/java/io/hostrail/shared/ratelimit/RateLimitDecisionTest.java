package io.hostrail.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitDecisionTest {

    @Test
    void secondsAreRoundedUpForHeaders() {
        RateLimitDecision refused = new RateLimitDecision(false, 10, 0, Duration.ofMillis(1), Duration.ofMillis(4_001));

        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetAfterSeconds()).isEqualTo(5);
        assertThat(new RateLimitDecision(true, 10, 9, Duration.ZERO, Duration.ofSeconds(6)).resetAfterSeconds()).isEqualTo(6);
    }

    @Test
    void anAllowedRequestWaitsForNothing() {
        assertThatThrownBy(() -> new RateLimitDecision(true, 10, 9, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusedRequestLeavesNothingAndMustWait() {
        assertThatThrownBy(() -> new RateLimitDecision(false, 10, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitDecision(false, 10, 0, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsStayWithinTheLimit() {
        assertThatThrownBy(() -> new RateLimitDecision(true, 0, 0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitDecision(true, 10, 11, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitDecision(true, 10, -1, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitDecision(true, 10, 1, Duration.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitDecision(true, 10, 1, null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class);
    }
}
