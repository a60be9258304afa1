package io.hostrail.identity.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A fine-grained right such as {@code invoice:read}: a resource and an action. */
public record Permission(String value) implements Comparable<Permission> {

    private static final Pattern FORM = Pattern.compile("[a-z][a-z_]*:[a-z][a-z_]*");

    public Permission {
        Objects.requireNonNull(value, "permission");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("permission '" + value + "' is not of the form resource:action");
        }
    }

    public static Permission of(String value) {
        return new Permission(value);
    }

    @Override
    public int compareTo(Permission other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
