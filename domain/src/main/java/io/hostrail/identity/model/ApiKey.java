package io.hostrail.identity.model;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A third party's credential. What it may do is its scopes (permissions); where it may be used from is
 * its IP allow-list (empty: anywhere). The secret itself is never stored, only its hash.
 */
public record ApiKey(UUID id, TenantId tenant, String name, String prefix, Set<Permission> scopes,
        List<IpRange> allowedIps, Instant expiresAt, UUID createdBy, Instant createdAt, Instant lastUsedAt,
        Instant revokedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("an API key needs a name of at most 100 characters");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("an API key needs at least one scope");
        }
        for (Permission scope : scopes) {
            if (!Permissions.isKnown(scope)) {
                throw new IllegalArgumentException("unknown scope '" + scope + "'");
            }
        }
        scopes = java.util.Collections.unmodifiableSet(new TreeSet<>(scopes));
        allowedIps = List.copyOf(allowedIps);
    }

    /** Why the key cannot be used now from {@code ip}, or null when it can. */
    public String refusal(Instant now, String ip) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return "expired";
        }
        if (!allowedIps.isEmpty() && allowedIps.stream().noneMatch(range -> range.contains(ip))) {
            return "not allowed from this address";
        }
        return null;
    }
}
