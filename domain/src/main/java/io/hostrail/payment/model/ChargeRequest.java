package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One attempt to take a payment. The {@code attemptId} is ours and stays the same however often the attempt is sent:
 * adapters derive the provider's idempotency key from it, so sending it twice can never charge twice.
 *
 * @param attemptId            our id of this attempt
 * @param amount               what to take; positive
 * @param customerReference    the provider's customer ({@code cus_...} at Stripe); null where the provider has none (PayPal)
 * @param paymentMethodReference a saved payment method ({@code pm_...}); null lets the payer choose one on-session
 * @param offSession           the payer is not present (a renewal): the charge must complete without them, or be declined
 * @param description          shown to the payer by the provider where it can be
 * @param metadata             our ids (tenant, invoice, attempt) stored with the payment at the provider; the key
 *                             {@value #INVOICE_ID} becomes PayPal's {@code invoice_id}
 * @param payerReturn          where the provider sends the payer back after approving (PayPal); null if not redirected
 */
public record ChargeRequest(UUID attemptId, Money amount, String customerReference, String paymentMethodReference,
        boolean offSession, String description, Map<String, String> metadata, PayerReturn payerReturn) {

    public static final String INVOICE_ID = "invoice_id";

    public ChargeRequest {
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a charge must be for a positive amount, got " + amount);
        }
        if (offSession && paymentMethodReference == null) {
            throw new IllegalArgumentException("an off-session charge needs a saved payment method");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The pages the payer returns to from the provider: after approving, or after giving up. */
    public record PayerReturn(URI approved, URI cancelled) {

        public PayerReturn {
            Objects.requireNonNull(approved, "approved");
            Objects.requireNonNull(cancelled, "cancelled");
        }
    }
}
