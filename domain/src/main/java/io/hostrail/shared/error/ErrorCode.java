package io.hostrail.shared.error;

import java.util.Objects;

/**
 * A stable, machine-readable error identifier such as {@code invoice.not_found}. Clients branch on
 * it (it becomes the problem {@code type}), so a code, once published, never changes meaning.
 */
public record ErrorCode(String value, ErrorKind kind) {

    public ErrorCode {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
        if (!value.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("error code '" + value + "' must be dotted snake_case");
        }
    }

    public static ErrorCode validation(String value) {
        return new ErrorCode(value, ErrorKind.VALIDATION);
    }

    public static ErrorCode notFound(String value) {
        return new ErrorCode(value, ErrorKind.NOT_FOUND);
    }

    public static ErrorCode conflict(String value) {
        return new ErrorCode(value, ErrorKind.CONFLICT);
    }

    public static ErrorCode rejected(String value) {
        return new ErrorCode(value, ErrorKind.REJECTED);
    }
}
