package io.hostrail.audit.model;

import java.util.Objects;

/**
 * Checks that a piece of audit text survives storage and hashing unchanged. Two kinds of Java
 * string do not: one with an unpaired surrogate, which UTF-8 encoding silently turns into
 * {@code '?'} (so two different records could hash alike), and one with U+0000, which PostgreSQL
 * text refuses.
 */
final class AuditText {

    private AuditText() {
    }

    static String requireNonBlank(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return requireStorable(value, what);
    }

    static String requireStorableOrNull(String value, String what) {
        return value == null ? null : requireStorable(value, what);
    }

    static String requireStorable(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException(what + " contains U+0000 at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " contains an unpaired surrogate at index " + i);
            }
        }
        return value;
    }
}
