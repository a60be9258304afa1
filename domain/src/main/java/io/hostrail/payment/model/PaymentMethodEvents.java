package io.hostrail.payment.model;

import io.hostrail.shared.event.DomainEvent;
import java.util.UUID;

/** What happens to customers' saved payment methods, as published through the outbox; never a card number. */
public final class PaymentMethodEvents {

    private PaymentMethodEvents() {
    }

    /** A method the customer saved at the provider is now known here. */
    public record PaymentMethodSaved(UUID aggregateId, UUID customerId, String provider, String type, String brand,
            String last4, boolean isDefault) implements DomainEvent {

        public static PaymentMethodSaved of(CustomerPaymentMethod m) {
            return new PaymentMethodSaved(m.id(), m.customerId(), m.provider().wireName(), m.type(), m.brand(),
                    m.last4(), m.isDefault());
        }

        @Override
        public String type() {
            return "payment_method.saved";
        }
    }

    /** Off-session charges of the customer now use this method; {@code previousDefaultId} is null when none was. */
    public record PaymentMethodDefaultChanged(UUID aggregateId, UUID customerId, UUID previousDefaultId)
            implements DomainEvent {

        @Override
        public String type() {
            return "payment_method.default_changed";
        }
    }

    /**
     * The method was removed: detached at the provider on request ({@code by} {@code request}), or found gone from the
     * provider by a sync ({@code provider}).
     */
    public record PaymentMethodRemoved(UUID aggregateId, UUID customerId, String provider, boolean wasDefault,
            String by) implements DomainEvent {

        @Override
        public String type() {
            return "payment_method.removed";
        }
    }
}
