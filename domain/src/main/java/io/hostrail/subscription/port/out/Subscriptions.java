package io.hostrail.subscription.port.out;

import io.hostrail.shared.model.TenantId;
import io.hostrail.subscription.model.Period;
import io.hostrail.subscription.model.Subscription;
import io.hostrail.subscription.model.SubscriptionStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface Subscriptions {

    record Query(UUID customerId, UUID parentId, SubscriptionStatus status, UUID afterId, int limit) {
    }

    enum BillingKind { FIRST, RENEWAL, CHANGE }

    /** A period invoiced for a subscription: its first, a renewal, or the new period of a change of cycle. */
    record BilledPeriod(UUID subscriptionId, Period period, UUID invoiceId, BillingKind kind) {
    }

    Mono<Subscription> insert(Subscription subscription);

    /** Saves the subscription if it still has {@code expectedVersion}; empty when someone changed it meanwhile. */
    Mono<Subscription> update(Subscription subscription, long expectedVersion);

    Mono<Subscription> find(TenantId tenant, UUID id);

    /**
     * The subscription, locked against changes (not against other readers) until the caller's transaction ends: what
     * an add-on is being ordered onto cannot be cancelled meanwhile.
     */
    Mono<Subscription> lockShared(TenantId tenant, UUID id);

    Flux<Subscription> list(TenantId tenant, Query query);

    /**
     * The add-ons attached to a subscription that are not terminated yet, each locked until the caller's
     * transaction ends, in id order.
     */
    Flux<Subscription> lockAddons(TenantId tenant, UUID parentId);

    /**
     * Records that the period was invoiced and moves the subscription's billed-through mark to its end. False, with
     * nothing recorded, when the period was already billed: a second invoice for a period is impossible.
     */
    Mono<Boolean> recordBilled(TenantId tenant, BilledPeriod billed);

    /**
     * Records the new period a change of cycle starts and bills at once, and moves billed-through to its end, also
     * backwards: the periods of the old cycle beyond it were credited.
     */
    Mono<Void> recordRebilled(TenantId tenant, BilledPeriod billed);

    /**
     * {@link #recordBilled} for many periods in one go (of distinct subscriptions): the ids of the subscriptions whose
     * period this recorded; a period already billed is left out, with nothing recorded for it.
     */
    Flux<UUID> recordBilledAll(TenantId tenant, List<BilledPeriod> billed);

    /** Sets where billing starts for a subscription that was never billed (one that began with a trial). */
    Mono<Void> billFrom(TenantId tenant, UUID subscriptionId, Instant start);

    /** The end of the last period invoiced, or empty when none was. */
    Mono<Instant> billedThrough(TenantId tenant, UUID subscriptionId);

    /** The pending subscription whose first invoice this is, if any. */
    Flux<Subscription> findPendingByFirstInvoice(TenantId tenant, UUID invoiceId);

    Flux<BilledPeriod> billedPeriods(TenantId tenant, UUID subscriptionId);

    /** A subscription with the start of its next period to invoice. */
    record Due(Subscription subscription, Instant billedThrough) {
    }

    /**
     * Ids of running subscriptions whose next period starts by {@code horizon}, in (billed-through, id) order after
     * the given key; for a billing run to go through page by page.
     */
    Flux<Due> dueForInvoicing(TenantId tenant, Instant horizon, Instant afterBilledThrough, UUID afterId, int limit);

    /**
     * The subscription, locked until the caller's transaction ends, if it is still due by {@code horizon}; empty when
     * it is not, or when another transaction holds it (another instance is billing it right now).
     */
    Mono<Due> lockIfDue(TenantId tenant, UUID id, Instant horizon);

    /**
     * Up to {@code limit} running subscriptions whose next period starts by {@code horizon}, in (billed-through, id)
     * order after the given key, each locked until the caller's transaction ends; those another transaction holds are
     * passed over (another instance is billing them). The batch form of {@link #lockIfDue}.
     */
    Flux<Due> lockDue(TenantId tenant, Instant horizon, Instant afterBilledThrough, UUID afterId, int limit);

    /** Ids of running subscriptions whose current period ended by {@code now}, after {@code afterId}. */
    Flux<UUID> periodEnded(TenantId tenant, Instant now, UUID afterId, int limit);

    /** The subscription, locked, if its period still ended by {@code now}; empty otherwise or when held elsewhere. */
    Mono<Subscription> lockIfPeriodEnded(TenantId tenant, UUID id, Instant now);
}
