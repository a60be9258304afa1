package io.hostrail.subscription.model;

import java.util.Objects;
import java.util.UUID;

/** How much of a product's configurable option a subscription takes; 0 keeps a yes/no option off. */
public record SelectedOption(UUID optionId, int quantity) {

    public SelectedOption {
        Objects.requireNonNull(optionId, "optionId");
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity: must not be negative");
        }
    }
}
