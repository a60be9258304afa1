package io.hostrail.catalog.model;

import io.hostrail.shared.model.TenantId;
import java.util.Objects;
import java.util.UUID;

/** A shelf in the storefront ("Shared hosting", "Domains"); hidden groups are not shown to customers. */
public record ProductGroup(UUID id, TenantId tenant, String name, String description, int sortOrder, boolean hidden,
        long version) {

    public ProductGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
    }
}
