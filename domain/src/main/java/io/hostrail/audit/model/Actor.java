package io.hostrail.audit.model;

import java.util.Objects;
import java.util.UUID;

/**
 * Who performed an audited action. {@code display} is what a reader of the audit log recognises
 * (an email, an API key's prefix, the name of a scheduled job); {@code id} is what it links to.
 * Only the system acts without an id: it is not a principal anyone could look up.
 */
public record Actor(Kind kind, UUID id, String display) {

    public enum Kind {
        STAFF_USER,
        CLIENT_USER,
        API_KEY,
        SYSTEM
    }

    public Actor {
        Objects.requireNonNull(kind, "actor kind");
        if (kind == Kind.SYSTEM && id != null) {
            throw new IllegalArgumentException("a SYSTEM actor has no id, but got " + id);
        }
        if (kind != Kind.SYSTEM && id == null) {
            throw new IllegalArgumentException("a " + kind + " actor needs an id");
        }
        AuditText.requireNonBlank(display, "actor display");
    }

    public static Actor staffUser(UUID id, String email) {
        return new Actor(Kind.STAFF_USER, id, email);
    }

    public static Actor clientUser(UUID id, String email) {
        return new Actor(Kind.CLIENT_USER, id, email);
    }

    public static Actor apiKey(UUID id, String keyPrefix) {
        return new Actor(Kind.API_KEY, id, keyPrefix);
    }

    public static Actor system(String name) {
        return new Actor(Kind.SYSTEM, null, name);
    }
}
