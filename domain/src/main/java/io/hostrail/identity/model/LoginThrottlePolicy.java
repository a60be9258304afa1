package io.hostrail.identity.model;

import java.time.Duration;
import java.time.Instant;

/**
 * How failed sign-ins slow an attacker down. Per account: after {@code freeAttempts} failures each
 * further attempt waits longer ({@code delayUnit}, then twice that, four times ... up to {@code maxDelay}), and {@code accountLockAfter}
 * failures within the window lock the account for {@code lockFor}. Per IP address: {@code ipLockAfter}
 * failures within the window lock the address. A window with no failure for its length starts over.
 */
public record LoginThrottlePolicy(int freeAttempts, Duration delayUnit, Duration maxDelay, int accountLockAfter,
        int ipLockAfter, Duration window, Duration lockFor) {

    public LoginThrottlePolicy {
        if (freeAttempts < 0 || accountLockAfter < 1 || ipLockAfter < 1) {
            throw new IllegalArgumentException("attempt counts must be positive");
        }
        java.util.Objects.requireNonNull(delayUnit, "delayUnit");
        java.util.Objects.requireNonNull(maxDelay, "maxDelay");
        java.util.Objects.requireNonNull(window, "window");
        java.util.Objects.requireNonNull(lockFor, "lockFor");
    }

    public static LoginThrottlePolicy defaults() {
        return new LoginThrottlePolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(8), 10, 30, Duration.ofMinutes(15),
                Duration.ofMinutes(15));
    }

    /** The state of one subject: how many failures in the current window, and any lock. */
    public record State(int failures, Instant firstFailureAt, Instant lastFailureAt, Instant lockedUntil) {

        public static final State CLEAN = new State(0, null, null, null);

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    /** The state after one more failure at {@code now}; {@code lockAfter} is the account or IP threshold. */
    public State afterFailure(State state, Instant now, int lockAfter) {
        boolean freshWindow = state.lastFailureAt() == null || !state.lastFailureAt().plus(window).isAfter(now);
        int failures = freshWindow ? 1 : state.failures() + 1;
        Instant first = freshWindow ? now : state.firstFailureAt();
        Instant lockedUntil = failures >= lockAfter ? now.plus(lockFor) : state.lockedUntil();
        return new State(failures, first, now, lockedUntil);
    }

    /** How long to hold the next attempt's answer back. */
    public Duration delayFor(State state, Instant now) {
        if (state.lastFailureAt() == null || !state.lastFailureAt().plus(window).isAfter(now)) {
            return Duration.ZERO;
        }
        int over = state.failures() - freeAttempts;
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration delay = delayUnit.multipliedBy(1L << Math.min(over, 20));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
