package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a provider's webhook says, read from its raw body: the few kinds Hostrail acts on, and everything else as
 * {@link Unhandled}. {@code invoiceId} is the invoice Hostrail named in the payment's metadata when it created it.
 */
public sealed interface ProviderEvent {

    String eventId();

    /** The provider took the money. */
    record PaymentSucceeded(String eventId, String reference, UUID invoiceId, Money amount, Instant at)
            implements ProviderEvent {
    }

    /** The payment is on its way (a bank debit clearing); it changes nothing recorded, before or after success. */
    record PaymentProcessing(String eventId, String reference, UUID invoiceId) implements ProviderEvent {
    }

    /** The provider could not take the money; {@code code} is its decline or error code. */
    record PaymentFailed(String eventId, String reference, UUID invoiceId, String code, String message)
            implements ProviderEvent {
    }

    /** The customer disputed the payment with their bank. */
    record DisputeOpened(String eventId, String reference, Money amount, String reason) implements ProviderEvent {
    }

    /**
     * Money went back on the payment {@code paymentReference}: the refunds the event reports, made through Hostrail or
     * in the provider's dashboard. Failed and cancelled refunds are left out: nothing went back.
     */
    record Refunded(String eventId, String paymentReference, List<Refund> refunds) implements ProviderEvent {

        public Refunded {
            Objects.requireNonNull(paymentReference, "paymentReference");
            refunds = List.copyOf(refunds);
        }
    }

    /**
     * One refund at the provider: its id there, what it gave back, why, and our id for it when Hostrail asked for it
     * (null for one made in the provider's dashboard).
     */
    record Refund(String reference, Money amount, String reason, UUID refundId) {

        public Refund {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(amount, "amount");
        }
    }

    record Unhandled(String eventId, String type) implements ProviderEvent {
    }
}
