package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Our customers' counterparts at the providers (Stripe's Customers), made once per customer and provider. */
public interface ProviderCustomers {

    /** The provider's reference of our customer ({@code cus_...}); empty when none was made. */
    Mono<String> reference(TenantId tenant, UUID customerId, Payment.Provider provider);

    /**
     * Stores {@code reference} unless the customer has one at the provider already, and answers the one stored: the
     * first to be stored wins, so two set-ups racing never leave the customer with two.
     */
    Mono<String> storeIfAbsent(TenantId tenant, UUID customerId, Payment.Provider provider, String reference,
            Instant createdAt);
}
