package io.hostrail.identity.model;

import io.hostrail.shared.model.TenantId;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Who is calling, for which tenant, with which permissions: what an access token asserts. */
public record Principal(TenantId tenant, UUID userId, String email, UserKind kind, UUID customerId,
        Set<String> roles, Set<Permission> permissions, UUID sessionId) {

    public Principal {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        roles = java.util.Collections.unmodifiableSet(new TreeSet<>(roles));
        permissions = java.util.Collections.unmodifiableSet(new TreeSet<>(permissions));
    }

    /** Some actions belong to a person signing in (a password, a second factor), never to an integration. */
    public void requirePerson() {
        if (kind == UserKind.API_KEY) {
            throw new io.hostrail.shared.error.DomainException(IdentityErrors.PEOPLE_ONLY,
                    "This is for a signed-in person, not an API key.");
        }
    }

    public boolean hasRole(String roleName) {
        return roles.contains(roleName);
    }

    public boolean can(Permission permission) {
        return permissions.contains(permission);
    }
}
