package io.hostrail.webclient.support;

/**
 * The provider failed to answer (a 5xx, a 429, a request still in flight under the same idempotency key): the breaker
 * counts it, and the call is retried.
 */
public final class ProviderFailure extends RuntimeException {

    private final String reason;

    public ProviderFailure(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
