package io.hostrail.catalog.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;

/** What one cycle costs in one currency, and the one-off fee charged with the first invoice. */
public record Price(BillingCycle cycle, Money amount, Money setupFee) {

    public Price {
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(setupFee, "setupFee");
        if (!amount.currency().equals(setupFee.currency())) {
            throw new IllegalArgumentException("amount and setup fee must be in the same currency");
        }
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        if (setupFee.isNegative()) {
            throw new IllegalArgumentException("setup fee must not be negative");
        }
    }

    public String currencyCode() {
        return amount.currencyCode();
    }

    /** The key a product holds at most one price under. */
    public PriceKey key() {
        return new PriceKey(cycle, amount.currencyCode());
    }

    public record PriceKey(BillingCycle cycle, String currency) {

        @Override
        public String toString() {
            return cycle.wireName() + "/" + currency;
        }
    }
}
