package io.hostrail.billingrun.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.model.BillingRun.BillingRunCompleted;
import io.hostrail.billingrun.model.BillingRun.Progress;
import io.hostrail.billingrun.port.out.BillingRuns;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.subscription.port.out.Subscriptions;
import io.hostrail.subscription.port.out.Subscriptions.Due;
import io.hostrail.subscription.service.SubscriptionService;
import io.hostrail.subscription.service.SubscriptionService.Invoiced;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The billing run: renews the periods that ended, each subscription in a transaction of its own, then invoices every
 * period that starts within the tenant's renewal lead days, a batch of subscriptions per transaction that locks them
 * first (see ADR 0008). Safe with several runs at once, on one instance or many: a subscription another run holds is
 * skipped (that run bills it), one billed meanwhile is no longer due, and the unique (subscription, period) key refuses
 * a second invoice whatever else happens. A run that dies leaves nothing half done; the next run picks up where it
 * stopped.
 */
public final class BillingRunService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("billing_run.not_found");
    static final int PAGE = 200;
    /** Subscriptions invoiced per transaction unless configured otherwise. */
    public static final int DEFAULT_BATCH = 500;
    /** Batches a run bills at once unless configured otherwise: one prepares while the other writes. */
    public static final int DEFAULT_WORKERS = 2;
    public static final int MAX_WORKERS = 16;
    /** A safety net against a subscription that somehow stays due after being billed. */
    static final int MAX_PASSES = 1_000;
    static final Actor ACTOR = Actor.system("billing-run");

    private final BillingRuns runs;
    private final Subscriptions subscriptions;
    private final SubscriptionService subscriptionService;
    private final BillingSettingsService settings;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final String instanceId;
    private final int batchSize;
    private final int workers;

    /**
     * @param batchSize subscriptions invoiced per transaction
     * @param workers   batches a run has going at once
     */
    public BillingRunService(BillingRuns runs, Subscriptions subscriptions, SubscriptionService subscriptionService,
            BillingSettingsService settings, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit,
            IdGenerator ids, Clock clock, String instanceId, int batchSize, int workers) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: at least 1");
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers: from 1 to " + MAX_WORKERS);
        }
        this.runs = runs;
        this.subscriptions = subscriptions;
        this.subscriptionService = subscriptionService;
        this.settings = settings;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.instanceId = instanceId;
        this.batchSize = batchSize;
        this.workers = workers;
    }

    /** Records a run a user asked for, as of now; {@link #execute} then does the work. */
    public Mono<BillingRun> start(Principal actor) {
        return unitOfWork.inTransaction(() -> create(actor.tenant(), BillingRun.Trigger.MANUAL, actor.userId())
                .flatMap(run -> audit.record(actor.tenant(), Actors.of(actor), "billing_run.started", "billing_run",
                        run.id().toString(), Map.of(), Map.of("horizon", run.horizon().toString())).thenReturn(run)));
    }

    /** A scheduled run for the tenant, when it has anything to renew or invoice; empty otherwise. */
    public Mono<BillingRun> startScheduled(TenantId tenant) {
        Instant now = clock.instant();
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> settings.current(tenant).flatMap(s -> {
            Instant horizon = now.plus(Duration.ofDays(s.renewalLeadDays()));
            return subscriptions.periodEnded(tenant, now, null, 1).hasElements()
                    .flatMap(ended -> ended ? Mono.just(true)
                            : subscriptions.dueForInvoicing(tenant, horizon, null, null, 1).hasElements())
                    .flatMap(work -> work ? create(tenant, BillingRun.Trigger.SCHEDULE, null) : Mono.empty());
        })));
    }

    /** Does the run's work for its tenant and records how it ended. */
    public Mono<BillingRun> execute(BillingRun run) {
        TenantId tenant = run.tenant();
        Mono<BillingRun> work = renewalPass(run)
                .then(Mono.defer(() -> invoicingPasses(run, 0, ConcurrentHashMap.newKeySet())))
                .then(Mono.defer(() -> unitOfWork.inTransaction(() ->
                        runs.finish(tenant, run.id(), BillingRun.Status.COMPLETED, null, clock.instant())
                                .flatMap(done -> events.record(tenant, new BillingRunCompleted(done.id(),
                                        done.trigger().wireName(), done.progress().renewed(), done.progress().cancelled(),
                                        done.progress().invoiced(), done.progress().skipped(), done.progress().failed()))
                                        .thenReturn(done)))))
                .onErrorResume(error -> unitOfWork.inTransaction(() ->
                        runs.finish(tenant, run.id(), BillingRun.Status.FAILED, String.valueOf(error), clock.instant())));
        return TenantContext.within(tenant, work);
    }

    public Mono<BillingRun> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> runs.find(actor.tenant(), id))
                .switchIfEmpty(Mono.error(() -> new DomainException(NOT_FOUND, "No billing run " + id + " exists.")));
    }

    public Flux<BillingRun> list(Principal actor, UUID beforeId, int limit) {
        return unitOfWork.inTransactionMany(() -> runs.list(actor.tenant(), beforeId, limit));
    }

    public Mono<List<BillingRuns.Failure>> failures(Principal actor, UUID id, int limit) {
        return get(actor, id).flatMap(run -> unitOfWork.inTransactionMany(() -> runs.failures(actor.tenant(), id, limit))
                .collectList());
    }

    private Mono<BillingRun> create(TenantId tenant, BillingRun.Trigger trigger, UUID requestedBy) {
        Instant now = clock.instant();
        return settings.current(tenant).flatMap(s -> runs.insert(new BillingRun(ids.newId(), tenant,
                BillingRun.Status.RUNNING, trigger, requestedBy, instanceId, now,
                now.plus(Duration.ofDays(s.renewalLeadDays())), now, now, null, Progress.NONE, null)));
    }

    /** Every subscription whose period ended by the run's instant moves on, or ends as scheduled. */
    private Mono<Void> renewalPass(BillingRun run) {
        TenantId tenant = run.tenant();
        return endedPage(run, null)
                .expand(page -> page.size() < PAGE ? Mono.empty() : endedPage(run, page.getLast()))
                .concatMapIterable(page -> page)
                .concatMap(id -> oneSubscription(run, id, unitOfWork.inTransaction(() -> subscriptions
                        .lockIfPeriodEnded(tenant, id, run.asOf())
                        .flatMap(ended -> subscriptionService.reachPeriodEndInTransaction(ACTOR, ended, run.asOf()))
                        .flatMap(moved -> runs.count(tenant, run.id(), moved.status().isRunning()
                                ? new Progress(1, 0, 0, 0, 0) : new Progress(0, 1, 0, 0, 0), clock.instant())))))
                .then();
    }

    /**
     * Invoices every due period, batch by batch; a subscription far behind has several, so passes repeat while the
     * last one invoiced anything. A subscription that failed is not tried again in the same run.
     *
     * <p>The workers take batches off one cursor, one after the other, so one batch is read and priced while another
     * is written. They never deadlock: each locks its subscriptions without waiting (skipping locked ones), then its
     * customers in id order, then the invoice numbers, and whatever comes after the numbers waits for them to be free.
     */
    private Mono<Void> invoicingPasses(BillingRun run, int pass, Set<UUID> failed) {
        if (pass >= MAX_PASSES) {
            return Mono.error(new IllegalStateException("subscriptions stayed due after " + MAX_PASSES + " passes"));
        }
        Cursor cursor = new Cursor();
        return Flux.range(0, workers)
                .flatMap(worker -> invoiceBatch(run, cursor, failed).repeat(() -> !cursor.exhausted()), workers)
                // Not any(): it would cancel the pass at the first batch that invoiced something.
                .reduce(false, (invoicedAny, invoiced) -> invoicedAny || invoiced > 0)
                .flatMap(invoicedAny -> invoicedAny ? invoicingPasses(run, pass + 1, failed) : Mono.empty());
    }

    /**
     * Where a pass is in the (billed-through, id) order of due subscriptions. Workers lock their next batch through it
     * one at a time, each right after the one before has locked its own (not after it committed), so batches never
     * overlap and the cursor moves in order.
     */
    private static final class Cursor {

        private Due after;
        private boolean exhausted;
        /** Completes when the worker locking before this one has moved the cursor. */
        private Mono<Void> previous = Mono.empty();

        /** Runs {@code lock} from where the cursor is, once every earlier lock has moved it, and moves it past. */
        Mono<List<Due>> next(int batchSize, Function<Due, Mono<List<Due>>> lock) {
            return Mono.defer(() -> {
                Sinks.Empty<Void> moved = Sinks.empty();
                Mono<Void> turn;
                synchronized (this) {
                    turn = previous;
                    previous = moved.asMono();
                }
                return turn.then(Mono.defer(() -> exhausted() ? Mono.just(List.<Due>of()) : lock.apply(position())
                                .doOnNext(locked -> moveTo(locked, batchSize))))
                        .doFinally(signal -> moved.tryEmitEmpty());
            });
        }

        synchronized boolean exhausted() {
            return exhausted;
        }

        private synchronized Due position() {
            return after;
        }

        private synchronized void moveTo(List<Due> locked, int batchSize) {
            if (!locked.isEmpty()) {
                after = locked.getLast();
            }
            exhausted = locked.size() < batchSize;
        }
    }

    /**
     * One transaction: locks the next due subscriptions that no one else holds, invoices them, and counts and audits
     * what it did; returns how many it invoiced. A failure of the transaction itself, which rolls it all back, is not
     * blamed on every subscription in it: they are billed again one per transaction, so only the culprit fails.
     */
    private Mono<Integer> invoiceBatch(BillingRun run, Cursor cursor, Set<UUID> failed) {
        List<Due> locked = new ArrayList<>();
        return unitOfWork.inTransaction(() -> cursor.next(batchSize, after -> subscriptions.lockDue(run.tenant(),
                                run.horizon(), after == null ? null : after.billedThrough(),
                                after == null ? null : after.subscription().id(), batchSize).collectList())
                        .flatMap(due -> {
                            locked.addAll(due);
                            return invoiceLocked(run, due.stream()
                                    .filter(one -> !failed.contains(one.subscription().id())).toList());
                        }))
                .map(invoiced -> {
                    failed.addAll(invoiced.failures().keySet());
                    return invoiced.issued().size();
                })
                .onErrorResume(error -> locked.isEmpty() ? Mono.error(error) : oneByOne(run, locked, failed));
    }

    /** The fallback for a batch that failed as a whole: each of its subscriptions in a transaction of its own. */
    private Mono<Integer> oneByOne(BillingRun run, List<Due> batch, Set<UUID> failed) {
        TenantId tenant = run.tenant();
        return Flux.fromIterable(batch)
                .map(due -> due.subscription().id())
                .filter(id -> !failed.contains(id))
                .concatMap(id -> unitOfWork.inTransaction(() -> subscriptions.lockIfDue(tenant, id, run.horizon())
                                .flatMap(due -> invoiceLocked(run, List.of(due))))
                        .map(invoiced -> {
                            failed.addAll(invoiced.failures().keySet());
                            return invoiced.issued().size();
                        })
                        .onErrorResume(error -> {
                            failed.add(id);
                            return recordFailure(run, id, error).thenReturn(0);
                        }))
                .reduce(0, Integer::sum);
    }

    /**
     * Invoices the locked subscriptions inside the caller's transaction, with the counts, the failures and one audit
     * record for the batch (not one per invoice: see ADR 0008), so all of it commits or none.
     */
    private Mono<Invoiced> invoiceLocked(BillingRun run, List<Due> due) {
        if (due.isEmpty()) {
            return Mono.just(Invoiced.NOTHING);
        }
        TenantId tenant = run.tenant();
        return subscriptionService.invoiceNextPeriodsInTransaction(due).flatMap(invoiced -> {
            Instant now = clock.instant();
            List<InvoiceService.Issued> issued = invoiced.issued();
            return Flux.fromIterable(invoiced.failures().entrySet())
                    .concatMap(failure -> runs.fail(tenant, run.id(), failure.getKey(), message(failure.getValue()), now))
                    .then(runs.count(tenant, run.id(), new Progress(0, 0, issued.size(), invoiced.skipped(),
                            invoiced.failures().size()), now))
                    .then(issued.isEmpty() ? Mono.empty() : audit.record(tenant, ACTOR, "billing_run.invoiced",
                            "billing_run", run.id().toString(), Map.of(), summary(issued)).then())
                    .thenReturn(invoiced);
        });
    }

    /** What an audit record of a batch says: how many invoices, and their numbers, which one block holds. */
    private static Map<String, String> summary(List<InvoiceService.Issued> issued) {
        long credited = issued.stream().filter(one -> one.creditTransactionId() != null).count();
        return Map.of("invoices", Integer.toString(issued.size()),
                "numbers", issued.getFirst().invoice().number() + " to " + issued.getLast().invoice().number(),
                "creditApplied", Long.toString(credited));
    }

    /** Pages are read in transactions of their own: the tenant's rows are visible only inside one. */
    private Mono<List<UUID>> endedPage(BillingRun run, UUID after) {
        return unitOfWork.inTransactionMany(() -> subscriptions.periodEnded(run.tenant(), run.asOf(), after, PAGE))
                .collectList();
    }

    /**
     * One subscription's work. Its failure is recorded and counted, and the run carries on with the next: one
     * customer's broken plan must not hold up everyone else's invoices.
     */
    private <T> Mono<Void> oneSubscription(BillingRun run, UUID subscriptionId, Mono<T> work) {
        return work.then().onErrorResume(error -> recordFailure(run, subscriptionId, error));
    }

    private Mono<Void> recordFailure(BillingRun run, UUID subscriptionId, Throwable error) {
        return unitOfWork.inTransaction(() -> runs.fail(run.tenant(), run.id(), subscriptionId, message(error),
                        clock.instant())
                .then(runs.count(run.tenant(), run.id(), new Progress(0, 0, 0, 0, 1), clock.instant())));
    }

    /** Why, in a line: a wrapped failure (the database's, say) in the words of its root cause, not its wrapper's. */
    private static String message(Throwable failure) {
        Throwable error = failure;
        while (!(error instanceof DomainException) && error.getCause() != null && error.getCause() != error) {
            error = error.getCause();
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        if (error instanceof DomainException domain && !domain.violations().isEmpty()) {
            message = message + " " + domain.violations();
        }
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
