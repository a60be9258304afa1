package io.hostrail.payment.model;

import io.hostrail.shared.event.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** What happens to payments, as published through the outbox. */
public final class PaymentEvents {

    private PaymentEvents() {
    }

    /** Money came in; {@code appliedMinor} of it paid the invoice, the rest went to the customer's credit. */
    public record PaymentReceived(UUID aggregateId, UUID customerId, UUID invoiceId, String provider, String method,
            String reference, String currency, long amountMinor, long appliedMinor, Instant receivedAt)
            implements DomainEvent {

        public static PaymentReceived of(Payment p) {
            return new PaymentReceived(p.id(), p.customerId(), p.invoiceId(), p.provider().wireName(),
                    p.method().wireName(), p.reference(), p.amount().currency().getCurrencyCode(),
                    p.amount().minorUnits(), p.applied().minorUnits(), p.receivedAt());
        }

        @Override
        public String type() {
            return "payment.received";
        }
    }

    /** Money went back to the customer. */
    public record PaymentRefunded(UUID aggregateId, UUID refundId, UUID customerId, UUID invoiceId, String currency,
            long amountMinor, long refundedMinor, UUID creditNoteId, String reason) implements DomainEvent {

        public static PaymentRefunded of(Payment after, PaymentRefund refund) {
            return new PaymentRefunded(after.id(), refund.id(), after.customerId(), after.invoiceId(),
                    refund.amount().currency().getCurrencyCode(), refund.amount().minorUnits(),
                    after.refunded().minorUnits(), refund.creditNoteId(), refund.reason());
        }

        @Override
        public String type() {
            return "payment.refunded";
        }
    }

    /** A provider's webhook was stored; processing it happens on whichever instance consumes this. */
    public record WebhookReceived(UUID aggregateId, String provider, String eventId, String eventType)
            implements DomainEvent {

        @Override
        public String type() {
            return "webhook.received";
        }
    }

    /** A provider could not take the money for an invoice; dunning acts on it. */
    public record PaymentFailed(UUID aggregateId, String provider, String reference, String code, String message)
            implements DomainEvent {

        @Override
        public String type() {
            return "payment.failed";
        }
    }

    /** The customer disputed a payment with their bank; staff answer it at the provider. */
    public record PaymentDisputed(UUID aggregateId, UUID customerId, UUID invoiceId, String provider, String reference,
            String currency, long amountMinor, String reason) implements DomainEvent {

        @Override
        public String type() {
            return "payment.disputed";
        }
    }
}
