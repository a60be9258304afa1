package io.hostrail.api.payment;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderCredentials.Environment;
import io.hostrail.payment.port.out.PaymentGateway;
import io.hostrail.payment.port.out.PaymentGateways;

/**
 * Stripe's one API for live and test keys alike; PayPal's live API and its sandbox, which are different hosts with
 * breakers of their own, so a sandbox outage never opens the breaker live payments go through.
 */
record ProviderGateways(PaymentGateway stripe, PaymentGateway payPalLive, PaymentGateway payPalSandbox)
        implements PaymentGateways {

    @Override
    public PaymentGateway gateway(Payment.Provider provider, Environment environment) {
        return switch (provider) {
            case STRIPE -> stripe;
            case PAYPAL -> environment == Environment.LIVE ? payPalLive : payPalSandbox;
            case MANUAL -> throw new IllegalArgumentException("manual payments go through no gateway");
        };
    }
}
