package io.hostrail.subscription.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A span of billed time: {@code start} inclusive, {@code end} exclusive, so consecutive periods never overlap. */
public record Period(Instant start, Instant end) {

    public Period {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("period: start " + start + " must be before end " + end);
        }
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
