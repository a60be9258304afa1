package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderEvent;

/** Reads a provider's webhook body: its id and type to store it under, then what it says. */
public interface ProviderEventReader {

    /** The event's id and type. */
    record Identity(String eventId, String type) {
    }

    /** @throws IllegalArgumentException when the body is not one of the provider's events */
    Identity identify(Payment.Provider provider, String payload);

    /** Whether events of this type have an effect; the others are read as {@code Unhandled}. */
    boolean actsOn(Payment.Provider provider, String type);

    /** @throws IllegalArgumentException when the body does not have what its type promises */
    ProviderEvent read(Payment.Provider provider, String payload);
}
