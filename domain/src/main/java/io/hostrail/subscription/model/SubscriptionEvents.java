package io.hostrail.subscription.model;

import io.hostrail.shared.event.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** What happens to subscriptions, as published through the outbox. */
public final class SubscriptionEvents {

    private SubscriptionEvents() {
    }

    /** The kinds of change, each its own event type {@code subscription.<change>}. */
    public enum Change {
        CREATED, ACTIVATED, SUSPENDED, UNSUSPENDED, CANCELLATION_SCHEDULED, CANCELLATION_WITHDRAWN, CANCELLED,
        TERMINATED, PLAN_CHANGED, RENEWED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The subscription as it is after the change; provisioning and notifications read what they need from it. An
     * add-on names its parent subscription.
     */
    public record SubscriptionChanged(String change, UUID aggregateId, UUID customerId, UUID productId, UUID parentId,
            String status,
            String cycle, int quantity, Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd, String reason)
            implements DomainEvent {

        public static SubscriptionChanged of(Change change, Subscription s, String reason) {
            Period period = s.currentPeriod();
            return new SubscriptionChanged(change.wireName(), s.id(), s.customerId(), s.productId(), s.parentId(),
                    s.status().wireName(),
                    s.cycle().wireName(), s.quantity(), period == null ? null : period.start(),
                    period == null ? null : period.end(), s.cancelAtPeriodEnd(), reason);
        }

        @Override
        public String type() {
            return "subscription." + change;
        }
    }
}
