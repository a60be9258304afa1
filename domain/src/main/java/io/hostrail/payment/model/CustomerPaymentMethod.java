package io.hostrail.payment.model;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A payment method a customer saved at a provider, as Hostrail keeps it: what may be shown of it (never a card number),
 * whether it is the one off-session charges use, and when it was removed. A removed method was detached at the
 * provider and is never used again.
 *
 * @param reference the provider's id of the method ({@code pm_...})
 */
public record CustomerPaymentMethod(UUID id, TenantId tenant, UUID customerId, Payment.Provider provider,
        String reference, String type, String brand, String last4, Integer expMonth, Integer expYear,
        boolean isDefault, Instant createdAt, Instant removedAt, long version) {

    public CustomerPaymentMethod {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        if (provider == Payment.Provider.MANUAL) {
            throw new IllegalArgumentException("manual payments have no saved methods");
        }
        if (isDefault && removedAt != null) {
            throw new IllegalArgumentException("a removed method cannot be the default");
        }
        if (last4 != null && !last4.matches("[0-9]{4}")) {
            throw new IllegalArgumentException("last4 must be four digits");
        }
    }

    /** A method the provider reports for the customer, stored for the first time. */
    public static CustomerPaymentMethod saved(UUID id, TenantId tenant, UUID customerId, Payment.Provider provider,
            SavedPaymentMethod atProvider, Instant now) {
        return new CustomerPaymentMethod(id, tenant, customerId, provider, atProvider.reference(), atProvider.type(),
                atProvider.brand(), atProvider.last4(), atProvider.expMonth(), atProvider.expYear(), false, now, null, 0);
    }

    public boolean removed() {
        return removedAt != null;
    }

    public CustomerPaymentMethod asDefault(boolean isDefault) {
        return new CustomerPaymentMethod(id, tenant, customerId, provider, reference, type, brand, last4, expMonth,
                expYear, isDefault, createdAt, removedAt, version);
    }

    public CustomerPaymentMethod removedAt(Instant when) {
        return new CustomerPaymentMethod(id, tenant, customerId, provider, reference, type, brand, last4, expMonth,
                expYear, false, createdAt, when, version);
    }

    /** The details as the provider reports them now (a card's expiry moves when its bank renews it). */
    public CustomerPaymentMethod withDetails(SavedPaymentMethod atProvider) {
        return new CustomerPaymentMethod(id, tenant, customerId, provider, reference, type, atProvider.brand(),
                atProvider.last4(), atProvider.expMonth(), atProvider.expYear(), isDefault, createdAt, removedAt,
                version);
    }

    public boolean sameDetails(SavedPaymentMethod atProvider) {
        return Objects.equals(brand, atProvider.brand()) && Objects.equals(last4, atProvider.last4())
                && Objects.equals(expMonth, atProvider.expMonth()) && Objects.equals(expYear, atProvider.expYear());
    }

    public CustomerPaymentMethod withVersion(long version) {
        return new CustomerPaymentMethod(id, tenant, customerId, provider, reference, type, brand, last4, expMonth,
                expYear, isDefault, createdAt, removedAt, version);
    }
}
