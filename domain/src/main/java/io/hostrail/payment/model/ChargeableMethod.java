package io.hostrail.payment.model;

import java.util.Objects;

/**
 * A payment method saved at the provider for a customer, as a charge with the payer away names it.
 *
 * @param customerReference      the provider's customer ({@code cus_...})
 * @param paymentMethodReference the saved method ({@code pm_...})
 */
public record ChargeableMethod(Payment.Provider provider, String customerReference, String paymentMethodReference) {

    public ChargeableMethod {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(paymentMethodReference, "paymentMethodReference");
    }
}
