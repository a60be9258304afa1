package io.hostrail.shared.error;

import java.util.List;
import java.util.Objects;

/**
 * A failure the core knows how to name. Carries a stable {@link ErrorCode}, a human-readable detail
 * safe to show to the caller, and optional field-level violations.
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldViolation> violations;

    public DomainException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public DomainException(ErrorCode code, String detail, List<FieldViolation> violations) {
        super(detail, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.violations = List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** One field that broke a rule: its JSON path ({@code lines[2].quantity}) and why. */
    public record FieldViolation(String field, String message) {

        public FieldViolation {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }
}
