package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;
import java.util.UUID;

/**
 * Giving back all or part of a payment. The {@code refundId} is ours; adapters derive the provider's idempotency key
 * from it, so a refund sent twice is made once.
 *
 * @param paymentReference the {@link PaymentOutcome.Succeeded#reference()} of the payment
 * @param amount           what to give back: the whole payment or part of it
 * @param reason           why, for the provider's records; may be null
 */
public record RefundRequest(UUID refundId, String paymentReference, Money amount, String reason) {

    public RefundRequest {
        Objects.requireNonNull(refundId, "refundId");
        if (paymentReference == null || paymentReference.isBlank()) {
            throw new IllegalArgumentException("paymentReference must not be blank");
        }
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a refund must be for a positive amount, got " + amount);
        }
    }
}
