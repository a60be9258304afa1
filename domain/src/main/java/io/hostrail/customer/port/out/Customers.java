package io.hostrail.customer.port.out;

import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.shared.model.TenantId;
import java.util.Collection;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface Customers {

    Mono<Customer> create(Customer customer);

    Mono<Customer> findById(TenantId tenant, UUID id);

    /**
     * The customer, locked until the caller's transaction ends: money moving between a customer's credit and its
     * invoices is serialized per customer, so its credit is never spent twice.
     */
    Mono<Customer> findForBilling(TenantId tenant, UUID id);

    /**
     * {@link #findForBilling} for many customers at once, locked in id order (so two callers locking overlapping sets
     * wait for each other instead of deadlocking); ids that match no customer are left out.
     */
    Flux<Customer> findForBilling(TenantId tenant, Collection<UUID> ids);

    /** Customers in id order after {@code afterId}, optionally of one status or email. */
    Flux<Customer> list(TenantId tenant, Customer.Status status, String email, UUID afterId, int limit);

    /**
     * Empty when {@code expectedVersion} no longer holds. Keeps the stored VAT check while the tax id stays the same,
     * and clears it when the tax id changes: a check is about one number.
     */
    Mono<Customer> update(Customer customer, long expectedVersion);

    /**
     * Stores the check of the customer's VAT number, if its tax id is still {@code checked}; empty otherwise. The
     * version stays: a check is not an edit, and must not make the version a client holds stale.
     */
    Mono<Customer> recordVatCheck(TenantId tenant, UUID id, TaxId checked, VatCheck check);
}
