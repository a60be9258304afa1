package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderCredentials;

/** The gateway that reaches a provider in an environment (PayPal's live API and its sandbox are different hosts). */
public interface PaymentGateways {

    /** @throws IllegalArgumentException for a provider no gateway speaks to ({@code manual}) */
    PaymentGateway gateway(Payment.Provider provider, ProviderCredentials.Environment environment);
}
