package io.hostrail.identity.model;

import io.hostrail.shared.model.TenantId;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A login. Staff users hold roles; client users belong to one customer and see only its data.
 * The password hash is not part of the user: it travels only between the store and the hasher.
 */
public record User(UUID id, TenantId tenant, String email, String displayName, UserKind kind, UUID customerId,
        Status status, Set<UUID> roleIds, long version) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");

    public enum Status { ACTIVE, DISABLED }

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        email = normalizeEmail(email);
        displayName = displayName == null || displayName.isBlank() ? email : displayName.strip();
        if (kind == UserKind.API_KEY) {
            throw new IllegalArgumentException("API keys are not users");
        }
        if ((kind == UserKind.CLIENT) != (customerId != null)) {
            throw new IllegalArgumentException("a client user belongs to exactly one customer; staff to none");
        }
        if (kind == UserKind.CLIENT && !roleIds.isEmpty()) {
            throw new IllegalArgumentException("client users hold no staff roles");
        }
        roleIds = Set.copyOf(roleIds);
    }

    public static String normalizeEmail(String email) {
        Objects.requireNonNull(email, "email");
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > 254 || !EMAIL.matcher(normalized).matches()) {
            throw new IllegalArgumentException("'" + email + "' is not an email address");
        }
        return normalized;
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }
}
