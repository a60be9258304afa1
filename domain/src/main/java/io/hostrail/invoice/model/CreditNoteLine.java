package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of a credit note: an amount given back, net or gross as the invoice's tax basis says (so it reads like the
 * invoice's own lines), with the tax that goes with it; {@code net + tax = total} always. It may name the invoice line
 * it corrects.
 */
public record CreditNoteLine(UUID id, UUID invoiceLineId, String description, Money amount, Money net, Money tax,
        Money total) {

    public static final int MAX_DESCRIPTION = 500;

    /** What a line is before the invoice's taxes are worked out. */
    public record Draft(String description, Money amount, UUID invoiceLineId) {

        public Draft {
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("description: is required");
            }
            description = description.strip();
            if (description.length() > MAX_DESCRIPTION) {
                throw new IllegalArgumentException("description: at most " + MAX_DESCRIPTION + " characters");
            }
            Objects.requireNonNull(amount, "amount");
            if (!amount.isPositive()) {
                throw new IllegalArgumentException("amount: must be more than zero");
            }
        }
    }

    public CreditNoteLine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a credit note line gives back more than zero");
        }
        if (!net.plus(tax).equals(total)) {
            throw new IllegalArgumentException("a line's net and tax must add up to its total");
        }
    }
}
