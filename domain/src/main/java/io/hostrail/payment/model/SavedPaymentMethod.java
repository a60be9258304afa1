package io.hostrail.payment.model;

import java.util.Objects;

/**
 * A payment method saved at the provider for a customer, as much of it as may be shown: never a full card number.
 *
 * @param type  the provider's kind ({@code card}, {@code sepa_debit}, ...)
 * @param brand for cards ({@code visa}); null otherwise, as are {@code last4} and the expiry when the provider gives none
 */
public record SavedPaymentMethod(String reference, String type, String brand, String last4, Integer expMonth,
        Integer expYear) {

    public SavedPaymentMethod {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(type, "type");
    }
}
