package io.hostrail.invoice.port.out;

import io.hostrail.invoice.model.CreditNote;
import io.hostrail.shared.model.TenantId;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Credit notes with their lines and taxes, stored as one aggregate. Issued once, never changed. */
public interface CreditNotes {

    /** Filters for listing; null means any. Oldest first, after {@code afterId}. */
    record Query(UUID invoiceId, UUID customerId, UUID afterId, int limit) {
    }

    Mono<CreditNote> insert(CreditNote creditNote);

    Mono<CreditNote> find(TenantId tenant, UUID id);

    /** Every credit note of the invoice, oldest first. */
    Flux<CreditNote> ofInvoice(TenantId tenant, UUID invoiceId);

    Flux<CreditNote> list(TenantId tenant, Query query);
}
