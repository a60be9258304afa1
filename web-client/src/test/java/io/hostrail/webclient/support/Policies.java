package io.hostrail.webclient.support;

import java.time.Duration;

/** Guard settings for tests: short backoffs, timeouts generous enough for a busy machine's first call. */
public final class Policies {

    private Policies() {
    }

    /** Three attempts 10 ms apart at first, two calls at once, and a breaker the tests of other things never open. */
    public static OutboundPolicy relaxed() {
        return policy(Duration.ofSeconds(5), 3, 100);
    }

    /**
     * @param breakerWindow calls the breaker judges over (and needs before judging); it opens at half of them failed
     *                      and stays open for 30 s of the test's clock
     */
    public static OutboundPolicy policy(Duration timeout, int maxAttempts, int breakerWindow) {
        return new OutboundPolicy(Duration.ofSeconds(2), timeout, maxAttempts, Duration.ofMillis(10), 2, 50,
                breakerWindow, breakerWindow, Duration.ofSeconds(30), 1);
    }
}
