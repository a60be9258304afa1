package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Money given back on a payment, paid out of the customer's credit. A refund of a paid invoice first credits the
 * invoice by a credit note ({@code creditNoteId}), so revenue and tax are reversed before the money leaves. A
 * provider's refund keeps its id as {@code reference}, unique per provider within the tenant.
 */
public record PaymentRefund(UUID id, TenantId tenant, UUID paymentId, UUID customerId, Money amount, String reason,
        UUID creditNoteId, String reference, Instant refundedAt) {

    public static final int MAX_REASON = 500;

    public PaymentRefund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(refundedAt, "refundedAt");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount: must be above zero");
        }
        reason = reason(reason);
    }

    /** The required reason, stripped; at most {@link #MAX_REASON} characters. */
    public static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: is required");
        }
        String stripped = reason.strip();
        if (stripped.length() > MAX_REASON) {
            throw new IllegalArgumentException("reason: at most " + MAX_REASON + " characters");
        }
        return stripped;
    }
}
