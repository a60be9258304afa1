package io.hostrail.shared.error;

import io.hostrail.shared.error.DomainException.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects what is wrong with a request field by field, so one answer names every bad field instead of the first.
 * Value constructors signal a bad value with {@link IllegalArgumentException}; {@link #check} turns that into a
 * violation of the named field.
 */
public final class FieldErrors {

    private final List<FieldViolation> violations = new ArrayList<>();

    /** The value, or null after recording why the field is wrong. */
    public <T> T check(String field, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            add(field, e.getMessage() == null ? "is required" : e.getMessage());
            return null;
        }
    }

    public void add(String field, String message) {
        violations.add(new FieldViolation(field, message));
    }

    /**
     * Records a broken rule of a value object whose message names its field first ("prices: at least one price is
     * required"); a message without a field is recorded under {@code fallbackField}.
     */
    public void addRuleViolation(IllegalArgumentException broken, String fallbackField) {
        String[] fieldAndMessage = broken.getMessage().split(": ", 2);
        if (fieldAndMessage.length == 2) {
            add(fieldAndMessage[0], fieldAndMessage[1]);
        } else {
            add(fallbackField, broken.getMessage());
        }
    }

    /** Another list's violations, each field under {@code prefix} ({@code items[2].}). */
    public void addAll(String prefix, FieldErrors other) {
        other.violations.forEach(v -> add(prefix + v.field(), v.message()));
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    /** Throws the collected violations under {@code code}, if there are any. */
    public void throwIfAny(ErrorCode code, String detail) {
        if (!violations.isEmpty()) {
            throw toException(code, detail);
        }
    }

    /** The collected violations as one exception, for callers that return errors rather than throw them. */
    public DomainException toException(ErrorCode code, String detail) {
        return new DomainException(code, detail, List.copyOf(violations));
    }

    public static String required(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        return value.strip();
    }
}
