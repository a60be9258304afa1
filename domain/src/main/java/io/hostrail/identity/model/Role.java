package io.hostrail.identity.model;

import io.hostrail.shared.model.TenantId;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/** A named set of permissions within one tenant: one of the built-in roles, or a tenant's own. */
public record Role(UUID id, TenantId tenant, String name, String description, Set<Permission> permissions,
        boolean builtIn, boolean requiresSecondFactor, long version) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{1,62}");

    public Role {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("role name '" + name + "' must be 2-63 lower-case letters, digits, '-' or '_'");
        }
        for (Permission permission : permissions) {
            if (!Permissions.isKnown(permission)) {
                throw new IllegalArgumentException("unknown permission '" + permission + "'");
            }
        }
        permissions = Collections.unmodifiableSet(new TreeSet<>(permissions));
    }
}
