package io.hostrail.payment.model;

import java.util.Locale;
import java.util.Objects;

/**
 * What a tenant connected at a provider, as it is stored: the secret sealed, the rest shown to staff.
 *
 * @param publicKey    what payers' browsers may see: Stripe's publishable key, PayPal's client id
 * @param sealedSecret Stripe's secret key or PayPal's client secret, sealed for this tenant and provider
 * @param webhookId    PayPal's id of the webhook registered for the tenant, which signature verification names; null
 *                     for Stripe, whose endpoints are verified with signing secrets
 */
public record ProviderCredentials(Payment.Provider provider, Environment environment, String publicKey,
        String sealedSecret, String webhookId) {

    /** Live money, or the provider's test mode (Stripe test keys, the PayPal sandbox). */
    public enum Environment {
        LIVE, TEST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Environment fromWire(String value) {
            return switch (value) {
                case "live" -> LIVE;
                case "test", "sandbox" -> TEST;
                default -> throw new IllegalArgumentException("'" + value + "' is not an environment; use live or test");
            };
        }
    }

    public ProviderCredentials {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
    }
}
