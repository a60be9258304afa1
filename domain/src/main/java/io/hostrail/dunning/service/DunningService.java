package io.hostrail.dunning.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.dunning.model.DunningEvents.DunningRunCompleted;
import io.hostrail.dunning.model.DunningEvents.PaymentReminder;
import io.hostrail.dunning.model.DunningEvents.PaymentRetryDue;
import io.hostrail.dunning.model.DunningPolicy;
import io.hostrail.dunning.model.DunningRun;
import io.hostrail.dunning.model.DunningRun.Progress;
import io.hostrail.dunning.model.DunningSchedule;
import io.hostrail.dunning.model.DunningStep;
import io.hostrail.dunning.model.TakenStep;
import io.hostrail.dunning.port.out.DunningRuns;
import io.hostrail.dunning.port.out.DunningSteps;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.invoice.port.out.Invoices;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.subscription.model.Subscription;
import io.hostrail.subscription.model.SubscriptionStatus;
import io.hostrail.subscription.port.out.Subscriptions;
import io.hostrail.subscription.service.SubscriptionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Dunning: a run goes through the tenant's open invoices and takes every step of the policy that is due on each, one
 * invoice per transaction that locks it first (one another transaction holds is left to it) and claims each step under
 * the unique (invoice, step) key before acting on it, so a step happens once whatever runs at once on however many
 * instances, and a run that dies leaves nothing half done. Paying an invoice unsuspends what its dunning suspended.
 */
public final class DunningService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("dunning_run.not_found");
    static final int PAGE = 200;
    static final Actor ACTOR = Actor.system("dunning");

    /** An invoice's dunning: the steps taken, and those to come while it stays open. */
    public record InvoiceDunning(Invoice invoice, List<TakenStep> taken, List<DunningSchedule.Upcoming> upcoming) {
    }

    private final DunningRuns runs;
    private final DunningSteps steps;
    private final DunningPolicyService policies;
    private final Invoices invoices;
    private final Subscriptions subscriptions;
    private final SubscriptionService subscriptionService;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final String instanceId;

    public DunningService(DunningRuns runs, DunningSteps steps, DunningPolicyService policies, Invoices invoices,
            Subscriptions subscriptions, SubscriptionService subscriptionService, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock, String instanceId) {
        this.runs = runs;
        this.steps = steps;
        this.policies = policies;
        this.invoices = invoices;
        this.subscriptions = subscriptions;
        this.subscriptionService = subscriptionService;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /** Records a run a user asked for, as of now; {@link #execute} then does the work. */
    public Mono<DunningRun> start(Principal actor) {
        return unitOfWork.inTransaction(() -> create(actor.tenant(), DunningRun.Trigger.MANUAL, actor.userId())
                .flatMap(run -> audit.record(actor.tenant(), Actors.of(actor), "dunning_run.started", "dunning_run",
                        run.id().toString(), Map.of(), Map.of("asOf", run.asOf().toString())).thenReturn(run)));
    }

    /** A scheduled run for the tenant, when any invoice has a step due; empty otherwise. */
    public Mono<DunningRun> startScheduled(TenantId tenant) {
        Instant now = clock.instant();
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> policies.current(tenant)
                .flatMap(policy -> steps.candidates(tenant, policy.steps(), now, null, 1).hasElements())
                .flatMap(work -> work ? create(tenant, DunningRun.Trigger.SCHEDULE, null) : Mono.empty())));
    }

    /** Does the run's work for its tenant and records how it ended. */
    public Mono<DunningRun> execute(DunningRun run) {
        TenantId tenant = run.tenant();
        Mono<DunningRun> work = unitOfWork.inTransaction(() -> policies.current(tenant))
                .flatMap(policy -> page(run, policy, null)
                        .expand(page -> page.size() < PAGE ? Mono.empty() : page(run, policy, page.getLast()))
                        .concatMapIterable(page -> page)
                        .concatMap(invoiceId -> dun(run, policy, invoiceId))
                        .then())
                .then(Mono.defer(() -> unitOfWork.inTransaction(() ->
                        runs.finish(tenant, run.id(), DunningRun.Status.COMPLETED, null, clock.instant())
                                .flatMap(done -> events.record(tenant, completed(done)).thenReturn(done)))))
                .onErrorResume(error -> unitOfWork.inTransaction(() ->
                        runs.finish(tenant, run.id(), DunningRun.Status.FAILED, String.valueOf(error), clock.instant())));
        return TenantContext.within(tenant, work);
    }

    public Mono<DunningRun> get(Principal actor, UUID id) {
        return staffOnly(actor, notFound(id))
                .then(unitOfWork.inTransaction(() -> runs.find(actor.tenant(), id)))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    public Flux<DunningRun> list(Principal actor, UUID beforeId, int limit) {
        return actor.kind() == UserKind.CLIENT ? Flux.empty()
                : unitOfWork.inTransactionMany(() -> runs.list(actor.tenant(), beforeId, limit));
    }

    /** The steps taken on an invoice, and those still to come as the policy stands; staff only. */
    public Mono<InvoiceDunning> ofInvoice(Principal actor, UUID invoiceId) {
        DomainException missing = new DomainException(InvoiceService.NOT_FOUND, "No invoice " + invoiceId + " exists.");
        Instant now = clock.instant();
        return staffOnly(actor, missing).then(unitOfWork.inTransaction(() -> invoices.find(actor.tenant(), invoiceId)
                .switchIfEmpty(Mono.error(missing))
                .flatMap(invoice -> steps.taken(actor.tenant(), invoiceId).collectList()
                        .flatMap(taken -> policies.current(actor.tenant()).map(policy -> new InvoiceDunning(invoice,
                                taken, invoice.status() != InvoiceStatus.OPEN || invoice.dueAt() == null ? List.of()
                                        : DunningSchedule.upcoming(policy, invoice.dueAt(), keys(taken), now)))))));
    }

    /**
     * An invoice was paid: the subscriptions its dunning suspended, or that it billed and dunning suspended for another
     * invoice, are unsuspended, unless another invoice of theirs still keeps them suspended (one that holds the
     * suspension and is unpaid, or one unpaid past the policy's suspension day). Idempotent: a subscription running
     * already, or suspended by staff, is left as it is.
     */
    public Mono<Void> onInvoicePaid(EventEnvelope event) {
        TenantId tenant = new TenantId(event.tenantId());
        UUID invoiceId = event.aggregateId();
        Instant now = clock.instant();
        return Mono.zip(policies.current(tenant), invoices.find(tenant, invoiceId)).flatMap(found -> {
            DunningPolicy policy = found.getT1();
            Invoice invoice = found.getT2();
            Instant overdueBefore = policy.suspendAfterDays() == null ? null
                    : now.minus(Duration.ofDays(policy.suspendAfterDays()));
            String reason = "invoice " + invoice.number() + " paid";
            return Flux.concat(steps.releaseSuspensions(tenant, invoiceId, now),
                            steps.subscriptionsBilledBy(tenant, invoiceId))
                    .distinct()
                    .concatMap(id -> subscriptions.find(tenant, id)
                            .filter(s -> s.status() == SubscriptionStatus.SUSPENDED)
                            .filterWhen(s -> steps.suspendedByDunning(tenant, id, s.suspendedAt()))
                            .filterWhen(s -> steps.heldByAnotherInvoice(tenant, id, s.suspendedAt(), invoiceId,
                                    overdueBefore).map(held -> !held))
                            .filterWhen(s -> parentRunning(s))
                            .flatMap(s -> subscriptionService.unsuspendInTransaction(ACTOR, s, reason)))
                    .then();
        });
    }

    private Mono<DunningRun> create(TenantId tenant, DunningRun.Trigger trigger, UUID requestedBy) {
        Instant now = clock.instant();
        return runs.insert(new DunningRun(ids.newId(), tenant, DunningRun.Status.RUNNING, trigger, requestedBy,
                instanceId, now, now, now, null, Progress.NONE, null));
    }

    /** Pages are read in transactions of their own: the tenant's rows are visible only inside one. */
    private Mono<List<UUID>> page(DunningRun run, DunningPolicy policy, UUID after) {
        return unitOfWork.inTransactionMany(() -> steps.candidates(run.tenant(), policy.steps(), run.asOf(), after, PAGE))
                .collectList();
    }

    /**
     * One invoice, in a transaction of its own: locked (or left to whoever holds it), its due steps claimed and taken,
     * the run's counts moved. A failure rolls all of it back and is counted; the next run tries again.
     */
    private Mono<Void> dun(DunningRun run, DunningPolicy policy, UUID invoiceId) {
        TenantId tenant = run.tenant();
        return unitOfWork.inTransaction(() -> steps.lockIfOpen(tenant, invoiceId)
                        .filter(locked -> locked)
                        .flatMap(locked -> invoices.find(tenant, invoiceId))
                        .flatMap(invoice -> steps.taken(tenant, invoiceId).collectList().flatMap(taken -> {
                            DunningSchedule.Plan plan = DunningSchedule.plan(policy, invoice.dueAt(), keys(taken),
                                    run.asOf());
                            if (plan.isEmpty()) {
                                return Mono.<Progress>empty();
                            }
                            return Flux.fromIterable(plan.skip())
                                    .concatMap(step -> claim(run, invoice, step, TakenStep.Outcome.SKIPPED, List.of())
                                            .map(claimed -> claimed ? new Progress(0, 0, 0, 0, 1, 0) : Progress.NONE))
                                    .concatWith(Flux.fromIterable(plan.take()).concatMap(step -> take(run, invoice, step)))
                                    .reduce(new Progress(1, 0, 0, 0, 0, 0), DunningService::plus);
                        }))
                        .flatMap(progress -> runs.count(tenant, run.id(), progress, clock.instant())))
                .onErrorResume(error -> unitOfWork.inTransaction(() -> runs.fail(tenant, run.id(),
                        "invoice " + invoiceId + ": " + message(error), clock.instant())));
    }

    private Mono<Progress> take(DunningRun run, Invoice invoice, DunningStep step) {
        return switch (step.kind()) {
            case REMINDER -> claim(run, invoice, step, TakenStep.Outcome.DONE, List.of())
                    .flatMap(claimed -> !claimed ? Mono.just(Progress.NONE)
                            : events.record(invoice.tenant(), reminder(invoice, step))
                                    .thenReturn(new Progress(0, 1, 0, 0, 0, 0)));
            // The charge is made after this transaction commits, by the event's consumer: never a provider call under
            // the invoice's lock.
            case RETRY -> claim(run, invoice, step, TakenStep.Outcome.DONE, List.of())
                    .flatMap(claimed -> !claimed ? Mono.just(Progress.NONE)
                            : events.record(invoice.tenant(), new PaymentRetryDue(invoice.id(), invoice.number(),
                                    invoice.customerId(), ids.newId(), step.offsetDays())).thenReturn(Progress.NONE));
            case SUSPEND -> suspend(run, invoice, step);
            case TERMINATE -> terminate(run, invoice, step);
        };
    }

    /**
     * Suspends the invoice's active subscriptions (their active add-ons follow), and holds their suspension; one that
     * dunning suspended already for another invoice is held by this one too, so paying either alone does not lift it.
     */
    private Mono<Progress> suspend(DunningRun run, Invoice invoice, DunningStep step) {
        TenantId tenant = invoice.tenant();
        String reason = "dunning: invoice " + invoice.number() + " unpaid " + step.offsetDays()
                + " days after its due date";
        return billed(invoice).collectList().flatMap(billed -> {
            List<UUID> active = billed.stream().filter(s -> s.status() == SubscriptionStatus.ACTIVE)
                    .map(Subscription::id).toList();
            return claim(run, invoice, step, TakenStep.Outcome.DONE, active).flatMap(claimed -> !claimed
                    ? Mono.just(Progress.NONE)
                    : Flux.fromIterable(billed)
                            .concatMap(s -> subscriptions.find(tenant, s.id()).flatMap(current -> {
                                if (current.status() == SubscriptionStatus.ACTIVE) {
                                    return subscriptionService.suspendInTransaction(ACTOR, current, reason)
                                            .flatMap(saved -> steps.recordSuspension(tenant, saved.id(), invoice.id(),
                                                    saved.suspendedAt()).thenReturn(1));
                                }
                                if (current.status() == SubscriptionStatus.SUSPENDED && !active.contains(current.id())) {
                                    return steps.suspendedByDunning(tenant, current.id(), current.suspendedAt())
                                            .filter(byDunning -> byDunning)
                                            .flatMap(byDunning -> steps.recordSuspension(tenant, current.id(),
                                                    invoice.id(), current.suspendedAt()))
                                            .thenReturn(0);
                                }
                                return Mono.just(0);
                            }))
                            .reduce(0, Integer::sum)
                            .map(suspended -> new Progress(0, 0, suspended, 0, 0, 0)));
        });
    }

    /** Terminates the invoice's running subscriptions (their add-ons follow). */
    private Mono<Progress> terminate(DunningRun run, Invoice invoice, DunningStep step) {
        TenantId tenant = invoice.tenant();
        String reason = "dunning: invoice " + invoice.number() + " unpaid " + step.offsetDays()
                + " days after its due date";
        return billed(invoice).filter(s -> s.status().isRunning()).map(Subscription::id).collectList()
                .flatMap(running -> claim(run, invoice, step, TakenStep.Outcome.DONE, running).flatMap(claimed -> !claimed
                        ? Mono.just(Progress.NONE)
                        : Flux.fromIterable(running)
                                // Read again: an add-on goes with its parent, which may have come first.
                                .concatMap(id -> subscriptions.find(tenant, id)
                                        .filter(current -> current.status().isRunning())
                                        .flatMap(current -> subscriptionService.terminateInTransaction(ACTOR, current,
                                                reason))
                                        .thenReturn(1))
                                .reduce(0, Integer::sum)
                                .map(terminated -> new Progress(0, 0, 0, terminated, 0, 0))));
    }

    private Flux<Subscription> billed(Invoice invoice) {
        return steps.subscriptionsBilledBy(invoice.tenant(), invoice.id())
                .concatMap(id -> subscriptions.find(invoice.tenant(), id));
    }

    private Mono<Boolean> claim(DunningRun run, Invoice invoice, DunningStep step, TakenStep.Outcome outcome,
            List<UUID> subscriptionIds) {
        return steps.claim(run.tenant(), new TakenStep(invoice.id(), step, outcome, step.dueAt(invoice.dueAt()),
                clock.instant(), run.id(), subscriptionIds));
    }

    /** An add-on is unsuspended only while its parent runs; a suspended parent brings it back when it comes back. */
    private Mono<Boolean> parentRunning(Subscription subscription) {
        if (!subscription.isAddon()) {
            return Mono.just(true);
        }
        return subscriptions.find(subscription.tenant(), subscription.parentId())
                .map(parent -> parent.status() != SubscriptionStatus.SUSPENDED)
                .defaultIfEmpty(true);
    }

    private static PaymentReminder reminder(Invoice invoice, DunningStep step) {
        return new PaymentReminder(invoice.id(), invoice.number(), invoice.customerId(),
                invoice.currency().getCurrencyCode(), invoice.amountDue().minorUnits(), invoice.dueAt(),
                step.reminderKind().wireName(), step.offsetDays());
    }

    private static DunningRunCompleted completed(DunningRun run) {
        Progress p = run.progress();
        return new DunningRunCompleted(run.id(), run.trigger().wireName(), p.invoices(), p.reminders(), p.suspended(),
                p.terminated(), p.skipped(), p.failed());
    }

    private static Set<String> keys(List<TakenStep> taken) {
        return taken.stream().map(t -> t.step().key()).collect(Collectors.toSet());
    }

    private static Progress plus(Progress a, Progress b) {
        return new Progress(a.invoices() + b.invoices(), a.reminders() + b.reminders(), a.suspended() + b.suspended(),
                a.terminated() + b.terminated(), a.skipped() + b.skipped(), a.failed() + b.failed());
    }

    /** Dunning belongs to staff; a client user is told what an unknown id would tell it. */
    private static Mono<Void> staffOnly(Principal actor, DomainException refusal) {
        if (actor.kind() != UserKind.CLIENT) {
            return Mono.empty();
        }
        return Mono.error(refusal);
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No dunning run " + id + " exists.");
    }

    /** Why, in a line: a wrapped failure in the words of its root cause. */
    private static String message(Throwable failure) {
        Throwable error = failure;
        while (!(error instanceof DomainException) && error.getCause() != null && error.getCause() != error) {
            error = error.getCause();
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
