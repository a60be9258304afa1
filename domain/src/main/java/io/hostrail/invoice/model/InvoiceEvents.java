package io.hostrail.invoice.model;

import io.hostrail.shared.event.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** What happens to invoices, as published through the outbox. Amounts are in minor units of {@code currency}. */
public final class InvoiceEvents {

    private InvoiceEvents() {
    }

    public record InvoiceFinalized(UUID aggregateId, String number, UUID customerId, String currency, long totalMinor,
            long taxMinor, long amountDueMinor, Instant dueAt) implements DomainEvent {

        @Override
        public String type() {
            return "invoice.finalized";
        }
    }

    public record InvoiceCreditApplied(UUID aggregateId, String number, UUID customerId, String currency,
            long amountMinor, long amountDueMinor, UUID transactionId) implements DomainEvent {

        @Override
        public String type() {
            return "invoice.credit_applied";
        }
    }

    public record InvoicePaid(UUID aggregateId, String number, UUID customerId, String currency, long totalMinor,
            Instant paidAt) implements DomainEvent {

        @Override
        public String type() {
            return "invoice.paid";
        }
    }

    public record InvoiceVoided(UUID aggregateId, String number, UUID customerId, String currency, long totalMinor)
            implements DomainEvent {

        @Override
        public String type() {
            return "invoice.voided";
        }
    }

    public record InvoiceMarkedUncollectible(UUID aggregateId, String number, UUID customerId, String currency,
            long writtenOffMinor) implements DomainEvent {

        @Override
        public String type() {
            return "invoice.marked_uncollectible";
        }
    }
}
