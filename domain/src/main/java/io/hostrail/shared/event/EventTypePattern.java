package io.hostrail.shared.event;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Selects event types by a comma-separated list of patterns, each an exact type
 * ({@code invoice.finalized}), a prefix ending in {@code .*} ({@code invoice.*}, which matches
 * {@code invoice.finalized} and {@code invoice.line.added}) or {@code *} for everything.
 */
public final class EventTypePattern {

    private static final EventTypePattern ALL = new EventTypePattern("*", List.of("*"));

    private final String expression;
    private final List<String> alternatives;

    private EventTypePattern(String expression, List<String> alternatives) {
        this.expression = expression;
        this.alternatives = alternatives;
    }

    public static EventTypePattern all() {
        return ALL;
    }

    public static EventTypePattern parse(String expression) {
        Objects.requireNonNull(expression, "pattern");
        List<String> parts = Arrays.stream(expression.split(","))
                .map(String::trim)
                .filter(part -> !part.isEmpty())
                .toList();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an event type pattern needs at least one type");
        }
        for (String part : parts) {
            boolean valid = part.equals("*")
                    || EventEnvelope.isValidType(part)
                    || (part.endsWith(".*") && isValidPrefix(part.substring(0, part.length() - 2)));
            if (!valid) {
                throw new IllegalArgumentException("'" + part + "' is not an event type, a 'prefix.*' pattern or '*'");
            }
        }
        return new EventTypePattern(String.join(",", parts), parts);
    }

    private static boolean isValidPrefix(String prefix) {
        return prefix.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    }

    public boolean matches(String type) {
        if (type == null) {
            return false;
        }
        for (String alternative : alternatives) {
            if (alternative.equals("*") || alternative.equals(type)) {
                return true;
            }
            if (alternative.endsWith(".*") && type.startsWith(alternative.substring(0, alternative.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    public String expression() {
        return expression;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventTypePattern pattern && pattern.alternatives.equals(alternatives);
    }

    @Override
    public int hashCode() {
        return alternatives.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
