package io.hostrail.shared.model;

import java.util.Objects;
import java.util.UUID;

/** The hosting provider that owns a row, an event or a request. Every tenant-owned thing carries one. */
public record TenantId(UUID value) {

    public TenantId {
        Objects.requireNonNull(value, "tenant id");
    }

    public static TenantId of(String value) {
        return new TenantId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
