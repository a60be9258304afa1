package io.hostrail.identity.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.identity.model.LoginThrottlePolicy.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottlePolicyTest {

    private final LoginThrottlePolicy policy = LoginThrottlePolicy.defaults();
    private final Instant start = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void theFirstFailuresCostNothingThenEachWaitsTwiceAsLongUpToTheCap() {
        State state = State.CLEAN;
        Duration[] expected = {Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8)};
        for (int i = 0; i < expected.length; i++) {
            Instant now = start.plusSeconds(i);
            assertThat(policy.delayFor(state, now)).as("before attempt " + (i + 1)).isEqualTo(i < 3 ? Duration.ZERO : expected[i - 1]);
            state = policy.afterFailure(state, now, policy.accountLockAfter());
        }
    }

    @Test
    void tenFailuresWithinTheWindowLockTheAccountForFifteenMinutes() {
        State state = State.CLEAN;
        for (int i = 0; i < 10; i++) {
            assertThat(state.lockedAt(start.plusSeconds(i))).isFalse();
            state = policy.afterFailure(state, start.plusSeconds(i), policy.accountLockAfter());
        }
        assertThat(state.lockedAt(start.plusSeconds(10))).isTrue();
        assertThat(state.lockedUntil()).isEqualTo(start.plusSeconds(9).plus(Duration.ofMinutes(15)));
        assertThat(state.lockedAt(start.plusSeconds(9).plus(Duration.ofMinutes(15)))).isFalse();
    }

    @Test
    void anAddressIsLockedAfterThirtyFailuresAcrossAccounts() {
        State address = State.CLEAN;
        for (int i = 0; i < 29; i++) {
            address = policy.afterFailure(address, start.plusSeconds(i), policy.ipLockAfter());
        }
        assertThat(address.lockedAt(start.plusSeconds(29))).isFalse();
        address = policy.afterFailure(address, start.plusSeconds(29), policy.ipLockAfter());
        assertThat(address.lockedAt(start.plusSeconds(30))).isTrue();
    }

    @Test
    void aQuietWindowStartsOver() {
        State state = State.CLEAN;
        for (int i = 0; i < 5; i++) {
            state = policy.afterFailure(state, start, policy.accountLockAfter());
        }
        Instant later = start.plus(Duration.ofMinutes(16));
        assertThat(policy.delayFor(state, later)).isZero();
        assertThat(policy.afterFailure(state, later, policy.accountLockAfter()).failures()).isEqualTo(1);
    }
}
