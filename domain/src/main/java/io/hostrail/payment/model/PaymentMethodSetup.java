package io.hostrail.payment.model;

import java.util.Objects;

/**
 * A provider's set-up of a payment method for later off-session charges (a Stripe SetupIntent), which the payer's
 * browser completes with the client secret.
 */
public record PaymentMethodSetup(String reference, String clientSecret) {

    public PaymentMethodSetup {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(clientSecret, "clientSecret");
    }

    @Override
    public String toString() {
        return "PaymentMethodSetup[reference=" + reference + ", clientSecret=****]";
    }
}
