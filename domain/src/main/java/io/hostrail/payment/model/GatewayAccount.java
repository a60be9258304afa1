package io.hostrail.payment.model;

import io.hostrail.shared.model.TenantId;
import java.util.Objects;

/**
 * A tenant's account at a payment provider: whose it is and the credentials that act for it. The credentials are
 * held in plaintext only between opening them from storage and making the call; {@code toString} never prints them,
 * so an account that lands in a log line gives nothing away.
 */
public sealed interface GatewayAccount {

    TenantId tenant();

    /** The provider's name as {@link io.hostrail.payment.port.out.PaymentGateway#provider()} gives it. */
    String provider();

    /** A Stripe account, acting through its secret key ({@code sk_live_...}, {@code sk_test_...}, or a restricted {@code rk_...}). */
    record StripeAccount(TenantId tenant, String secretKey) implements GatewayAccount {

        public StripeAccount {
            Objects.requireNonNull(tenant, "tenant");
            requireText(secretKey, "secretKey");
        }

        @Override
        public String provider() {
            return "stripe";
        }

        @Override
        public String toString() {
            return "StripeAccount[tenant=" + tenant + ", secretKey=****]";
        }
    }

    /** A PayPal REST app: its client id (public) and secret, exchanged for short-lived access tokens. */
    record PayPalAccount(TenantId tenant, String clientId, String clientSecret) implements GatewayAccount {

        public PayPalAccount {
            Objects.requireNonNull(tenant, "tenant");
            requireText(clientId, "clientId");
            requireText(clientSecret, "clientSecret");
        }

        @Override
        public String provider() {
            return "paypal";
        }

        @Override
        public String toString() {
            return "PayPalAccount[tenant=" + tenant + ", clientId=" + clientId + ", clientSecret=****]";
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
