package io.hostrail.subscription.model;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A customer's recurring purchase of a product: what is billed (product, cycle, quantity, options, currency) and where
 * it is in its life and its billing periods.
 *
 * <p>Periods are counted from the {@code anchor} (see {@link BillingPeriods}), which is set on activation: the
 * activation instant, or the end of the trial when there is one, so the first paid period starts when the trial ends
 * and the trial itself is the period {@code [activation, trialEnd)}.
 *
 * <p>An add-on subscription names its {@code parentId}, the subscription of the product it is attached to; it is billed
 * on its own cycle and follows the parent's life (see {@code SubscriptionService}).
 *
 * <p>Every change returns a new subscription; a change the status does not allow throws {@link IllegalStateException}.
 * The {@code version} is left to the store, which bumps it when it saves a change.
 */
public record Subscription(UUID id, TenantId tenant, UUID customerId, UUID productId, UUID parentId, BillingCycle cycle,
        Currency currency, SubscriptionStatus status, int quantity, List<SelectedOption> options, Instant anchor,
        Instant trialEnd, Period currentPeriod, boolean cancelAtPeriodEnd, Instant suspendedAt, Instant cancelledAt,
        Instant terminatedAt, Instant createdAt, long version) {

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id.equals(parentId)) {
            throw new IllegalArgumentException("parentId: a subscription cannot be its own parent");
        }
        requirePlan(cycle, quantity, options);
        options = List.copyOf(options);
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency: " + currency.getCurrencyCode() + " cannot hold money");
        }
        requireLifecycle(status, anchor, trialEnd, currentPeriod, cancelAtPeriodEnd, suspendedAt, cancelledAt,
                terminatedAt);
        if (currentPeriod != null && !isTrialPeriod(anchor, trialEnd, currentPeriod)
                && !isPeriodOf(anchor, cycle, currentPeriod)) {
            throw new IllegalArgumentException("currentPeriod: " + currentPeriod
                    + " is neither the trial nor a billing period of the anchor " + anchor);
        }
    }

    /** A subscription ordered but not yet running: no anchor and no period until it is activated. */
    public static Subscription pending(UUID id, TenantId tenant, UUID customerId, UUID productId, BillingCycle cycle,
            Currency currency, int quantity, List<SelectedOption> options, Instant createdAt) {
        return addonPending(id, tenant, customerId, productId, null, cycle, currency, quantity, options, createdAt);
    }

    /** {@link #pending}, attached to the subscription {@code parentId} as an add-on; a null parent attaches nothing. */
    public static Subscription addonPending(UUID id, TenantId tenant, UUID customerId, UUID productId, UUID parentId,
            BillingCycle cycle, Currency currency, int quantity, List<SelectedOption> options, Instant createdAt) {
        return new Subscription(id, tenant, customerId, productId, parentId, cycle, currency,
                SubscriptionStatus.PENDING, quantity, options, null, null, null, false, null, null, null, createdAt, 0);
    }

    public boolean isAddon() {
        return parentId != null;
    }

    /** The same subscription as the store saved it, at {@code version}. */
    public Subscription withVersion(long version) {
        return new Subscription(id, tenant, customerId, productId, parentId, cycle, currency, status, quantity, options,
                anchor, trialEnd, currentPeriod, cancelAtPeriodEnd, suspendedAt, cancelledAt, terminatedAt, createdAt,
                version);
    }

    /** Starts billing at {@code at}, without a trial. */
    public Subscription activate(Instant at) {
        return activate(at, Duration.ZERO);
    }

    /**
     * Starts the subscription at {@code at}. A non-zero trial runs as the period {@code [at, at + trial)} and anchors
     * the paid periods at its end; {@link Duration#ZERO} means no trial: the anchor is {@code at}.
     */
    public Subscription activate(Instant at, Duration trial) {
        requireAt(at);
        Objects.requireNonNull(trial, "trial");
        if (trial.isNegative()) {
            throw new IllegalArgumentException("trial: must not be negative");
        }
        if (status != SubscriptionStatus.PENDING) {
            // Suspended may move to active too, but that is unsuspending: the periods are already running.
            throw new IllegalStateException("cannot activate: the subscription is " + status.wireName());
        }
        if (trial.isZero()) {
            return with(SubscriptionStatus.ACTIVE, at, null, BillingPeriods.period(at, cycle, 0), false, null, null,
                    null);
        }
        Instant end = at.plus(trial);
        return with(SubscriptionStatus.ACTIVE, end, end, new Period(at, end), false, null, null, null);
    }

    /** Stops the service (usually for an unpaid invoice); billing periods keep running. */
    public Subscription suspend(Instant at) {
        requireAt(at);
        requireMove(SubscriptionStatus.SUSPENDED, "suspend");
        return with(SubscriptionStatus.SUSPENDED, anchor, trialEnd, currentPeriod, cancelAtPeriodEnd, at, null, null);
    }

    public Subscription unsuspend(Instant at) {
        requireAt(at);
        if (status != SubscriptionStatus.SUSPENDED) {
            throw new IllegalStateException("cannot unsuspend: the subscription is " + status.wireName());
        }
        if (at.isBefore(suspendedAt)) {
            throw new IllegalArgumentException("at: " + at + " is before the suspension at " + suspendedAt);
        }
        return with(SubscriptionStatus.ACTIVE, anchor, trialEnd, currentPeriod, cancelAtPeriodEnd, null, null, null);
    }

    /**
     * Stops billing. At period end only schedules it: the subscription keeps its status and is cancelled by
     * {@link #reachPeriodEnd()}. A pending subscription has no period, so it can only be cancelled now.
     */
    public Subscription cancel(Instant at, boolean atPeriodEnd) {
        requireAt(at);
        if (atPeriodEnd && status == SubscriptionStatus.PENDING) {
            throw new IllegalStateException("cannot cancel at period end: a pending subscription has no period");
        }
        requireMove(SubscriptionStatus.CANCELLED, "cancel");
        if (atPeriodEnd) {
            return with(status, anchor, trialEnd, currentPeriod, true, suspendedAt, null, null);
        }
        return with(SubscriptionStatus.CANCELLED, anchor, trialEnd, currentPeriod, false, null, at, null);
    }

    public Subscription undoCancelAtPeriodEnd() {
        if (!cancelAtPeriodEnd) {
            throw new IllegalStateException("cannot undo: no cancellation at period end is scheduled");
        }
        return with(status, anchor, trialEnd, currentPeriod, false, suspendedAt, null, null);
    }

    /** Removes the service for good; final. */
    public Subscription terminate(Instant at) {
        requireAt(at);
        requireMove(SubscriptionStatus.TERMINATED, "terminate");
        if (cancelledAt != null && at.isBefore(cancelledAt)) {
            throw new IllegalArgumentException("at: " + at + " is before the cancellation at " + cancelledAt);
        }
        return with(SubscriptionStatus.TERMINATED, anchor, trialEnd, currentPeriod, false, null, cancelledAt, at);
    }

    /**
     * The current period is over: the subscription moves to the next period, or, when a cancellation at period end is
     * scheduled, is cancelled as of the period's end.
     */
    public Subscription reachPeriodEnd() {
        if (!status.isRunning()) {
            throw new IllegalStateException("cannot reach the period end: the subscription is " + status.wireName());
        }
        if (cancelAtPeriodEnd) {
            return with(SubscriptionStatus.CANCELLED, anchor, trialEnd, currentPeriod, false, null,
                    currentPeriod.end(), null);
        }
        return with(status, anchor, trialEnd, BillingPeriods.next(anchor, cycle, currentPeriod), false, suspendedAt,
                null, null);
    }

    /** When the next period starts and is due for billing; empty when no further period will be billed. */
    public Optional<Instant> nextDueDate() {
        return status.isRunning() && !cancelAtPeriodEnd ? Optional.of(currentPeriod.end()) : Optional.empty();
    }

    public boolean inTrial(Instant at) {
        return status.isRunning() && isTrialPeriod(anchor, trialEnd, currentPeriod) && currentPeriod.contains(at);
    }

    /**
     * Moves an active subscription to another product, quantity or options at {@code at}, an instant of the current
     * period. A new cycle restarts the periods at {@code at} (the old period is settled by {@link Proration}); other
     * changes keep the anchor and the period. During a trial nothing has been paid, so a new cycle keeps the trial and
     * applies from its end.
     */
    public Subscription changePlan(UUID productId, BillingCycle cycle, int quantity, List<SelectedOption> options,
            Instant at) {
        Objects.requireNonNull(productId, "productId");
        requirePlan(cycle, quantity, options);
        requireAt(at);
        if (status != SubscriptionStatus.ACTIVE) {
            throw new IllegalStateException("cannot change the plan: the subscription is " + status.wireName());
        }
        if (!currentPeriod.contains(at)) {
            throw new IllegalArgumentException("at: " + at + " is outside the current period " + currentPeriod);
        }
        boolean restart = cycle != this.cycle && !isTrialPeriod(anchor, trialEnd, currentPeriod);
        Instant newAnchor = restart ? at : anchor;
        Period period = restart ? BillingPeriods.period(at, cycle, 0) : currentPeriod;
        return new Subscription(id, tenant, customerId, productId, parentId, cycle, currency, status, quantity, options,
                newAnchor, trialEnd, period, cancelAtPeriodEnd, suspendedAt, cancelledAt, terminatedAt, createdAt,
                version);
    }

    private Subscription with(SubscriptionStatus status, Instant anchor, Instant trialEnd, Period currentPeriod,
            boolean cancelAtPeriodEnd, Instant suspendedAt, Instant cancelledAt, Instant terminatedAt) {
        return new Subscription(id, tenant, customerId, productId, parentId, cycle, currency, status, quantity, options,
                anchor, trialEnd, currentPeriod, cancelAtPeriodEnd, suspendedAt, cancelledAt, terminatedAt, createdAt,
                version);
    }

    private void requireMove(SubscriptionStatus target, String action) {
        if (!status.canMoveTo(target)) {
            throw new IllegalStateException("cannot " + action + ": the subscription is " + status.wireName());
        }
    }

    private void requireAt(Instant at) {
        Objects.requireNonNull(at, "at");
        if (at.isBefore(createdAt)) {
            throw new IllegalArgumentException("at: " + at + " is before the subscription was created at " + createdAt);
        }
    }

    /** The trial is the one period that is not counted from the anchor: it ends where the anchor starts the rest. */
    private static boolean isTrialPeriod(Instant anchor, Instant trialEnd, Period period) {
        return period != null && trialEnd != null && trialEnd.equals(anchor) && period.end().equals(trialEnd);
    }

    private static boolean isPeriodOf(Instant anchor, BillingCycle cycle, Period period) {
        return !period.start().isBefore(anchor)
                && BillingPeriods.periodContaining(anchor, cycle, period.start()).equals(period);
    }

    private static void requirePlan(BillingCycle cycle, int quantity, List<SelectedOption> options) {
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(options, "options");
        if (!cycle.recurs()) {
            throw new IllegalArgumentException("cycle: a subscription recurs; " + cycle.wireName() + " does not");
        }
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity: must be at least 1");
        }
        Set<UUID> seen = new HashSet<>();
        for (SelectedOption option : options) {
            Objects.requireNonNull(option, "options: an option is null");
            if (!seen.add(option.optionId())) {
                throw new IllegalArgumentException("options: " + option.optionId() + " is selected more than once");
            }
        }
    }

    private static void requireLifecycle(SubscriptionStatus status, Instant anchor, Instant trialEnd,
            Period currentPeriod, boolean cancelAtPeriodEnd, Instant suspendedAt, Instant cancelledAt,
            Instant terminatedAt) {
        if ((anchor == null) != (currentPeriod == null)) {
            throw new IllegalArgumentException("anchor and currentPeriod are set together, on activation");
        }
        if (status == SubscriptionStatus.PENDING && anchor != null) {
            throw new IllegalArgumentException("anchor: a pending subscription has none until it is activated");
        }
        if (status.isRunning() && anchor == null) {
            throw new IllegalArgumentException("anchor: a " + status.wireName() + " subscription needs one");
        }
        if (trialEnd != null && (anchor == null || trialEnd.isAfter(anchor))) {
            throw new IllegalArgumentException("trialEnd: must not be after the anchor");
        }
        if (cancelAtPeriodEnd && !status.isRunning()) {
            throw new IllegalArgumentException("cancelAtPeriodEnd: only a running subscription can be cancelled later");
        }
        if ((status == SubscriptionStatus.SUSPENDED) != (suspendedAt != null)) {
            throw new IllegalArgumentException("suspendedAt: is set exactly when the subscription is suspended");
        }
        if (status == SubscriptionStatus.CANCELLED && cancelledAt == null) {
            throw new IllegalArgumentException("cancelledAt: a cancelled subscription needs one");
        }
        if (cancelledAt != null && status != SubscriptionStatus.CANCELLED && status != SubscriptionStatus.TERMINATED) {
            throw new IllegalArgumentException("cancelledAt: only a cancelled or terminated subscription has one");
        }
        if ((status == SubscriptionStatus.TERMINATED) != (terminatedAt != null)) {
            throw new IllegalArgumentException("terminatedAt: is set exactly when the subscription is terminated");
        }
        if (terminatedAt != null && cancelledAt != null && terminatedAt.isBefore(cancelledAt)) {
            throw new IllegalArgumentException("terminatedAt: must not be before cancelledAt");
        }
    }
}
