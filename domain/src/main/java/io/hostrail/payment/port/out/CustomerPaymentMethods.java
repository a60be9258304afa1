package io.hostrail.payment.port.out;

import io.hostrail.payment.model.CustomerPaymentMethod;
import io.hostrail.shared.model.TenantId;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where customers' saved payment methods are kept. Removed methods stay, but none of these queries gives them. */
public interface CustomerPaymentMethods {

    /** The customer's methods that are not removed, newest first. */
    Flux<CustomerPaymentMethod> live(TenantId tenant, UUID customerId);

    /** One of the customer's methods, unless removed. */
    Mono<CustomerPaymentMethod> find(TenantId tenant, UUID customerId, UUID id);

    /** The customer's default method; empty when it has none. */
    Mono<CustomerPaymentMethod> defaultOf(TenantId tenant, UUID customerId);

    /** Stores a new method; empty when the provider's method is stored already (removed or not). */
    Mono<CustomerPaymentMethod> insert(CustomerPaymentMethod method);

    /**
     * Saves the details, the default flag and the removal if the method still has {@code expectedVersion}; empty when
     * someone changed it meanwhile.
     */
    Mono<CustomerPaymentMethod> update(CustomerPaymentMethod method, long expectedVersion);
}
