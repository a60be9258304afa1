package io.hostrail.identity.model;

import io.hostrail.shared.model.TenantId;
import java.util.Objects;
import java.util.regex.Pattern;

/** One hosting provider using the platform. */
public record Tenant(TenantId id, String slug, String name, Status status) {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public enum Status { ACTIVE, SUSPENDED }

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("tenant slug '" + slug + "' must be 2-63 lower-case letters, digits or dashes");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("tenant name must not be blank");
        }
    }
}
