package io.hostrail.dunning.model;

import io.hostrail.shared.event.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** What dunning publishes through the outbox. Amounts are in minor units of {@code currency}. */
public final class DunningEvents {

    private DunningEvents() {
    }

    /**
     * A payment reminder is due for the invoice: notifications send it. {@code kind} is {@code before_due},
     * {@code due} or {@code overdue}; {@code offsetDays} the step's day relative to {@code dueAt}.
     */
    public record PaymentReminder(UUID aggregateId, String number, UUID customerId, String currency,
            long amountDueMinor, Instant dueAt, String kind, int offsetDays) implements DomainEvent {

        @Override
        public String type() {
            return "invoice.payment_reminder";
        }
    }

    /**
     * A payment retry is due for the invoice: the customer's saved default method is charged, off-session, by the
     * attempt {@code attemptId}, made once however often the event is delivered.
     */
    public record PaymentRetryDue(UUID aggregateId, String number, UUID customerId, UUID attemptId, int offsetDays)
            implements DomainEvent {

        @Override
        public String type() {
            return "invoice.payment_retry_due";
        }
    }

    public record DunningRunCompleted(UUID aggregateId, String trigger, int invoices, int reminders, int suspended,
            int terminated, int skipped, int failed) implements DomainEvent {

        @Override
        public String type() {
            return "dunning_run.completed";
        }
    }
}
