package io.hostrail.shared.error;

import java.time.Duration;
import java.util.Objects;

/** A refusal that tells the caller when to try again (the API sends it as Retry-After). */
public final class ThrottledException extends DomainException {

    private final Duration retryAfter;

    public ThrottledException(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
