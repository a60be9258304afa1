package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;

/**
 * What a provider said about a payment. Only {@link Succeeded} and {@link Declined} are final. {@link Unknown} means the
 * provider's answer was lost (a timeout, a reset connection, an outage, an open breaker): the payment may or may not
 * have happened, and the caller reconciles it later with
 * {@link io.hostrail.payment.port.out.PaymentGateway#lookup lookup}. It is never to be read as a decline.
 */
public sealed interface PaymentOutcome {

    /**
     * The money was taken.
     *
     * @param reference the provider's id of the money taken, the one a refund names: Stripe's PaymentIntent, PayPal's
     *                  capture
     */
    record Succeeded(String reference, Money amount) implements PaymentOutcome {

        public Succeeded {
            requireText(reference, "reference");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /**
     * Not taken, for good: the card was declined, the order voided, the request refused.
     *
     * @param reference the provider's payment if one was made, else null
     * @param code      the provider's most specific code ({@code insufficient_funds}, {@code INSTRUMENT_DECLINED})
     */
    record Declined(String reference, String code, String message) implements PaymentOutcome {

        public Declined {
            requireText(code, "code");
        }
    }

    /**
     * Under way: the payer has to act (confirm on-session, approve at PayPal), or the provider is still processing.
     *
     * @param clientSecret what the SPA confirms a Stripe PaymentIntent with; null otherwise
     * @param approvalUrl  where the payer approves a PayPal order; null otherwise
     */
    record Pending(String reference, String clientSecret, String approvalUrl) implements PaymentOutcome {

        public Pending {
            requireText(reference, "reference");
        }

        /** The client secret is for the payer's browser only. */
        @Override
        public String toString() {
            return "Pending[reference=" + reference + ", clientSecret=" + (clientSecret == null ? null : "****")
                    + ", approvalUrl=" + approvalUrl + "]";
        }
    }

    /**
     * No answer. {@code reference} is the provider's payment if it was learned before the answer was lost, else null.
     *
     * @param reason what went wrong ({@code TIMEOUT}, {@code CONNECTION_FAILED}, {@code HTTP_503}, {@code CIRCUIT_OPEN},
     *               {@code BULKHEAD_FULL}, ...)
     */
    record Unknown(String reference, String reason) implements PaymentOutcome {

        public Unknown {
            requireText(reason, "reason");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
