package io.hostrail.shared.secret;

import java.util.Objects;

/**
 * A secret in plaintext, held in memory between opening it and using it. It prints as {@code Secret[****]},
 * so one that lands in a log line or an exception message by accident gives nothing away.
 *
 * <p>The component is named {@code reveal} so that its accessor, {@link #reveal()}, is the only way to
 * the value: every place that reads a secret says so, and can be found by searching for it.
 */
public record Secret(String reveal) {

    public Secret {
        Objects.requireNonNull(reveal, "secret");
        if (reveal.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
