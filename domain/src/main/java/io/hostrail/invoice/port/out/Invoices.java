package io.hostrail.invoice.port.out;

import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.shared.model.TenantId;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Invoices with their lines and taxes, stored as one aggregate. */
public interface Invoices {

    /** Filters for listing; null means any. {@code finalizedOnly} hides drafts (client users never see them). */
    record Query(UUID customerId, InvoiceStatus status, boolean finalizedOnly, UUID afterId, int limit) {
    }

    Mono<Invoice> insert(Invoice invoice);

    /** Inserts the invoices, all of one tenant, with their lines and taxes, together: a batch issued at once. */
    Mono<Void> insertAll(List<Invoice> invoices);

    /**
     * Stores the invoice if it still has {@code expectedVersion}; empty if someone else changed it meanwhile. Lines
     * and taxes are rewritten only while it was a draft.
     */
    Mono<Invoice> update(Invoice invoice, long expectedVersion);

    Mono<Invoice> find(TenantId tenant, UUID id);

    Flux<Invoice> list(TenantId tenant, Query query);

    Mono<Boolean> deleteDraft(TenantId tenant, UUID id);
}
