package io.hostrail.coupon.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;
import java.util.UUID;

/** One line of an order or invoice as a coupon sees it: which product, and what it costs before the discount. */
public record DiscountableLine(UUID productId, Money amount) {

    public DiscountableLine {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount: must not be negative");
        }
    }
}
