package io.hostrail.catalog.model;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Something a customer configures on a product (extra disk in GB, dedicated IPs), priced per unit per cycle.
 * A quantity between {@code minQuantity} and {@code maxQuantity}; a yes/no option is 0..1.
 */
public record ConfigOption(UUID id, String name, String unit, int minQuantity, int maxQuantity, List<Price> prices) {

    public ConfigOption {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        prices = List.copyOf(prices);
        if (minQuantity < 0) {
            throw new IllegalArgumentException("minQuantity must not be negative");
        }
        if (maxQuantity < minQuantity || maxQuantity < 1) {
            throw new IllegalArgumentException("maxQuantity must be at least 1 and not below minQuantity");
        }
    }
}
