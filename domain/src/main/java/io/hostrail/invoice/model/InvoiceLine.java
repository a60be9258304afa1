package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of an invoice: {@code quantity} times {@code unitPrice}, less {@code discount}, is the line's amount, which
 * is net or gross as the invoice's tax basis says; {@code net + tax = total} always. A line may bill a period of a
 * subscription and name the product it sells.
 */
public record InvoiceLine(UUID id, String description, long quantity, Money unitPrice, Money discount,
        Instant periodStart, Instant periodEnd, UUID productId, UUID subscriptionId, Money net, Money tax, Money total) {

    public static final long MAX_QUANTITY = 1_000_000;
    public static final int MAX_DESCRIPTION = 500;

    /** What a line is before the invoice's taxes are worked out. */
    public record Draft(String description, long quantity, Money unitPrice, Money discount, Instant periodStart,
            Instant periodEnd, UUID productId, UUID subscriptionId) {

        public Draft {
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("description: is required");
            }
            description = description.strip();
            if (description.length() > MAX_DESCRIPTION) {
                throw new IllegalArgumentException("description: at most " + MAX_DESCRIPTION + " characters");
            }
            if (quantity < 1 || quantity > MAX_QUANTITY) {
                throw new IllegalArgumentException("quantity: from 1 to " + MAX_QUANTITY);
            }
            Objects.requireNonNull(unitPrice, "unitPrice");
            if (unitPrice.isNegative()) {
                throw new IllegalArgumentException("unitPrice: must not be negative; corrections are credit notes");
            }
            discount = discount == null ? Money.zero(unitPrice.currency()) : discount;
            if (!discount.currency().equals(unitPrice.currency())) {
                throw new IllegalArgumentException("discount: must be in the line's currency");
            }
            if (discount.isNegative() || discount.compareTo(unitPrice.times(quantity)) > 0) {
                throw new IllegalArgumentException("discount: from zero to the line's quantity times its unit price");
            }
            if ((periodStart == null) != (periodEnd == null)) {
                throw new IllegalArgumentException("period: needs both a start and an end");
            }
            if (periodStart != null && !periodStart.isBefore(periodEnd)) {
                throw new IllegalArgumentException("period: must start before it ends");
            }
        }

        /** Quantity times unit price, less the discount: what the line charges before or including tax. */
        public Money amount() {
            return unitPrice.times(quantity).minus(discount);
        }
    }

    public InvoiceLine {
        Objects.requireNonNull(id, "id");
        if (!net.plus(tax).equals(total)) {
            throw new IllegalArgumentException("a line's net and tax must add up to its total");
        }
    }

    public Draft draft() {
        return new Draft(description, quantity, unitPrice, discount, periodStart, periodEnd, productId, subscriptionId);
    }
}
