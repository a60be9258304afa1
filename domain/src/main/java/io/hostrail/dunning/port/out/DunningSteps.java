package io.hostrail.dunning.port.out;

import io.hostrail.dunning.model.DunningStep;
import io.hostrail.dunning.model.TakenStep;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The steps taken on invoices, and the suspensions dunning made. */
public interface DunningSteps {

    /**
     * Ids of open invoices, after {@code afterId} in id order, with at least one of {@code steps} due by {@code now}
     * and not taken yet.
     */
    Flux<UUID> candidates(TenantId tenant, List<DunningStep> steps, Instant now, UUID afterId, int limit);

    /**
     * Locks the invoice until the caller's transaction ends, if it is still open; false when it is not, or when
     * another transaction holds it (another instance is dunning it, or a payment is being recorded on it).
     */
    Mono<Boolean> lockIfOpen(TenantId tenant, UUID invoiceId);

    /** The steps recorded on the invoice, in the order they were taken. */
    Flux<TakenStep> taken(TenantId tenant, UUID invoiceId);

    /** Records the step; false, with nothing recorded, when it was recorded before. */
    Mono<Boolean> claim(TenantId tenant, TakenStep step);

    /** The subscriptions the invoice billed, through its lines or its billed periods, in id order. */
    Flux<UUID> subscriptionsBilledBy(TenantId tenant, UUID invoiceId);

    /** Remembers that the invoice holds the subscription's suspension that began at {@code suspendedAt}. */
    Mono<Void> recordSuspension(TenantId tenant, UUID subscriptionId, UUID invoiceId, Instant suspendedAt);

    /** Whether dunning made the subscription's suspension that began at {@code suspendedAt}. */
    Mono<Boolean> suspendedByDunning(TenantId tenant, UUID subscriptionId, Instant suspendedAt);

    /** Releases the invoice's hold on the suspensions it made; the subscriptions they were of. */
    Flux<UUID> releaseSuspensions(TenantId tenant, UUID invoiceId, Instant at);

    /**
     * Whether an invoice of the subscription other than {@code paidInvoiceId} keeps it suspended: one still open that
     * holds this suspension, or (when {@code overdueBefore} is set) one still open due by then.
     */
    Mono<Boolean> heldByAnotherInvoice(TenantId tenant, UUID subscriptionId, Instant suspendedAt, UUID paidInvoiceId,
            Instant overdueBefore);
}
