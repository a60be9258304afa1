package io.hostrail.subscription.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.catalog.model.Product;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceLine;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.coupon.model.Coupon;
import io.hostrail.coupon.model.DiscountableLine;
import io.hostrail.coupon.model.Redemption;
import io.hostrail.coupon.service.CouponService;
import io.hostrail.invoice.model.CreditNote;
import io.hostrail.invoice.model.CreditNoteLine;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.subscription.model.BillingPeriods;
import io.hostrail.subscription.model.Period;
import io.hostrail.subscription.model.PlanCharges;
import io.hostrail.subscription.model.Proration;
import io.hostrail.subscription.model.SelectedOption;
import io.hostrail.subscription.model.Subscription;
import io.hostrail.subscription.model.SubscriptionEvents.Change;
import io.hostrail.subscription.model.SubscriptionEvents.SubscriptionChanged;
import io.hostrail.subscription.model.SubscriptionStatus;
import io.hostrail.subscription.port.out.Subscriptions;
import io.hostrail.subscription.port.out.Subscriptions.BilledPeriod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Subscriptions from order to termination. Ordering creates a pending subscription and its first invoice (the first
 * period and the setup fees), which activates it as soon as it is paid, at once when credit covers it; a trial
 * activates it straight away and bills its first period when the trial ends. Every change of state is saved with its
 * {@code subscription.*} event and audit record in one transaction.
 */
public final class SubscriptionService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("subscription.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("subscription.invalid");
    public static final ErrorCode STATE = ErrorCode.conflict("subscription.state_conflict");
    public static final ErrorCode NOT_ORDERABLE = ErrorCode.conflict("product.not_orderable");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");
    static final int MAX_TRIAL_DAYS = 365;
    static final int MAX_QUANTITY = 10_000;
    static final int MAX_CART_ITEMS = 20;

    public record OptionDraft(UUID optionId, Integer quantity) {
    }

    /** An order; {@code parentSubscriptionId} names the subscription an add-on is ordered for. */
    public record OrderDraft(UUID customerId, UUID productId, String cycle, Integer quantity, List<OptionDraft> options,
            Integer trialDays, String couponCode, UUID parentSubscriptionId) {
    }

    /**
     * A cart: products for one customer, each with its cycle, quantity and options (an add-on naming a live subscription
     * of the customer that offers it), and a coupon code for the items it applies to.
     */
    public record CartDraft(UUID customerId, List<CartItem> items, String couponCode) {
    }

    public record CartItem(UUID productId, String cycle, Integer quantity, List<OptionDraft> options,
            UUID parentSubscriptionId) {
    }

    /** A cart ordered: its pending subscriptions, in the cart's order, and the one invoice that starts them all. */
    public record Placed(List<Subscription> subscriptions, Invoice invoice) {
    }

    public record ChangeDraft(UUID productId, String cycle, Integer quantity, List<OptionDraft> options) {
    }

    public record Filter(UUID customerId, UUID parentId, String status, UUID afterId, int limit) {
    }

    /** The subscription ordered, and its first invoice unless it started with a trial. */
    public record Ordered(Subscription subscription, Invoice firstInvoice) {
    }

    /** A line of a plan change, before tax: negative for the credit of unused time. */
    public record PreviewLine(String description, Money amount, Period period) {
    }

    /**
     * What a plan change would do, computed exactly as applying it would, and nothing recorded. During a trial nothing
     * was paid, so there are no lines: the new plan is billed when the trial ends. {@code oldRecurring} and
     * {@code newRecurring} are what the proration used: less the subscription's coupon when the period was billed with
     * its discount (or, for a new cycle, when the coupon has a cycle left for the new period).
     */
    public record ChangePreview(Subscription current, Subscription after, Proration.Result proration,
            Proration.Granularity granularity, List<PreviewLine> lines, Money oldRecurring, Money newRecurring,
            Instant at, Product oldProduct, Product newProduct, Customer customer, boolean inTrial,
            CouponPrices coupon, Money chargeBeforeCoupon) {
    }

    /**
     * The recurring amounts with and without the subscription's coupon, for the periods a change re-bills: each is
     * credited and charged as its own invoice was discounted. {@code redemption} is null without a coupon, and
     * {@code newPeriod} says whether a change of cycle's new period gets the discount (and counts a cycle of it).
     */
    public record CouponPrices(Redemption redemption, Money oldFull, Money oldDiscounted, Money newFull,
            Money newDiscounted, boolean newPeriod) {

        Money old(boolean discounted) {
            return discounted ? oldDiscounted : oldFull;
        }

        Money recurring(boolean discounted) {
            return discounted ? newDiscounted : newFull;
        }

        String note(boolean discounted) {
            return discounted && redemption != null ? " (coupon " + redemption.coupon().code() + ")" : "";
        }
    }

    /** A plan change made: the subscription after it, the invoice for the new plan, the credit notes for the old. */
    public record Changed(Subscription subscription, Invoice invoice, List<CreditNote> creditNotes) {
    }

    private final Subscriptions subscriptions;
    private final Catalog catalog;
    private final CustomerService customers;
    private final InvoiceService invoices;
    private final CreditNoteService creditNotes;
    private final CouponService coupons;
    private final BillingSettingsService settings;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public SubscriptionService(Subscriptions subscriptions, Catalog catalog, CustomerService customers,
            InvoiceService invoices, CreditNoteService creditNotes, CouponService coupons, BillingSettingsService settings,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.customers = customers;
        this.invoices = invoices;
        this.creditNotes = creditNotes;
        this.coupons = coupons;
        this.settings = settings;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    public Mono<Ordered> order(Principal actor, OrderDraft draft) {
        FieldErrors errors = new FieldErrors();
        if (draft.customerId() == null) {
            errors.add("customerId", "is required");
        }
        if (draft.productId() == null) {
            errors.add("productId", "is required");
        }
        BillingCycle cycle = errors.check("cycle", () -> recurring(draft.cycle()));
        int quantity = quantity(draft.quantity(), errors);
        List<SelectedOption> options = options(draft.options(), errors);
        int trialDays = draft.trialDays() == null ? 0 : draft.trialDays();
        if (trialDays < 0 || trialDays > MAX_TRIAL_DAYS) {
            errors.add("trialDays", "from 0 to " + MAX_TRIAL_DAYS);
        }
        try {
            errors.throwIfAny(INVALID, "The order has invalid fields.");
        } catch (DomainException e) {
            return Mono.error(e);
        }
        TenantId tenant = actor.tenant();
        Actor who = Actors.of(actor);
        Instant now = clock.instant();
        // The parent first, then the customer: the order in which the billing run locks them too.
        Mono<java.util.Optional<Subscription>> lockedParent = draft.parentSubscriptionId() == null
                ? Mono.just(java.util.Optional.empty())
                : subscriptions.lockShared(tenant, draft.parentSubscriptionId()).map(java.util.Optional::of)
                        .defaultIfEmpty(java.util.Optional.empty());
        return unitOfWork.inTransaction(() -> lockedParent.flatMap(parent -> customers.lockedForBilling(actor,
                        draft.customerId())
                .zipWith(product(tenant, draft.productId(), "productId"))
                .flatMap(found -> attachable(draft.parentSubscriptionId(), parent, found.getT1(), found.getT2())
                        .thenReturn(found)))
                .flatMap(found -> {
                    Customer customer = found.getT1();
                    Product product = found.getT2();
                    PlanCharges charges;
                    Subscription pending;
                    try {
                        requireOrderable(customer, product);
                        charges = plan(product, cycle, customer, quantity, options);
                        pending = Subscription.addonPending(ids.newId(), tenant, customer.id(), product.id(),
                                draft.parentSubscriptionId(), cycle, customer.currency(), quantity,
                                PlanCharges.resolvedOptions(product, options), now);
                    } catch (DomainException e) {
                        return Mono.error(e);
                    }
                    Mono<Boolean> stock = product.stockLimit() == null ? Mono.just(true)
                            : catalog.takeStock(tenant, product.id());
                    return stock.flatMap(taken -> taken ? Mono.just(pending) : Mono.error(new DomainException(
                                    NOT_ORDERABLE, product.name() + " is sold out.")))
                            .flatMap(subscriptions::insert)
                            .flatMap(created -> changed(who, Change.CREATED, created, null))
                            .flatMap(created -> redeem(draft.couponCode(), customer, product, created, now)
                                    .flatMap(coupon -> trialDays > 0
                                            ? activate(who, created, now, Duration.ofDays(trialDays))
                                                    .flatMap(active -> subscriptions.billFrom(tenant, active.id(),
                                                            active.anchor()).thenReturn(new Ordered(active, null)))
                                            : firstInvoice(who, customer, product, created, charges, now,
                                                    coupon.orElse(null))));
                }));
    }

    /**
     * Orders a cart in one transaction, all of it or nothing: a pending subscription per item and one invoice with
     * every item's first period and setup fees, the coupon taken off the items it applies to (one redemption per
     * subscription, as an order of one would make). Paying the invoice starts every subscription at once
     * ({@link #onInvoicePaid}). A client user orders for their own customer; staff for any.
     */
    public Mono<Placed> placeOrder(Principal actor, CartDraft draft) {
        FieldErrors errors = new FieldErrors();
        UUID customerId = actor.kind() == UserKind.CLIENT ? actor.customerId() : draft.customerId();
        if (customerId == null) {
            errors.add("customerId", "is required");
        } else if (actor.kind() == UserKind.CLIENT && draft.customerId() != null
                && !draft.customerId().equals(actor.customerId())) {
            errors.add("customerId", "a client user orders for their own customer");
        }
        List<CartItem> items = draft.items() == null ? List.of() : draft.items();
        if (items.isEmpty() || items.size() > MAX_CART_ITEMS) {
            errors.add("items", "from 1 to " + MAX_CART_ITEMS + " products");
        }
        List<BillingCycle> cycles = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        List<List<SelectedOption>> options = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            CartItem item = items.get(i);
            FieldErrors itemErrors = new FieldErrors();
            if (item == null || item.productId() == null) {
                itemErrors.add("productId", "is required");
            }
            cycles.add(item == null ? null : itemErrors.check("cycle", () -> recurring(item.cycle())));
            quantities.add(quantity(item == null ? null : item.quantity(), itemErrors));
            options.add(options(item == null ? null : item.options(), itemErrors));
            errors.addAll("items[" + i + "].", itemErrors);
        }
        if (!errors.isEmpty()) {
            return Mono.error(errors.toException(INVALID, "The order has invalid fields."));
        }
        TenantId tenant = actor.tenant();
        Actor who = Actors.of(actor);
        Instant now = clock.instant();
        String code = draft.couponCode() == null || draft.couponCode().isBlank() ? null : draft.couponCode().strip();
        return unitOfWork.inTransaction(() -> Flux.fromIterable(items)
                // Parents first, then the customer: the order in which the billing run locks them too.
                .concatMap(item -> item.parentSubscriptionId() == null ? Mono.just(java.util.Optional.<Subscription>empty())
                        : subscriptions.lockShared(tenant, item.parentSubscriptionId()).map(java.util.Optional::of)
                                .defaultIfEmpty(java.util.Optional.empty()))
                .collectList()
                .flatMap(parents -> customers.lockedForBilling(actor, customerId).flatMap(customer -> Flux
                        .range(0, items.size())
                        .concatMap(i -> cartLine(who, customer, items.get(i), "items[" + i + "].", parents.get(i),
                                cycles.get(i), quantities.get(i), options.get(i), code, now))
                        .collectList()
                        .flatMap(lines -> code != null && lines.stream().allMatch(line -> line.coupon() == null)
                                ? Mono.error(invalid("couponCode", "applies to none of the products ordered"))
                                : cartInvoice(who, customer, lines, now)))));
    }

    /** One item of a cart: its pending subscription, the lines of its first invoice, and its coupon if it takes it. */
    private record CartLine(Subscription pending, List<InvoiceLine.Draft> lines, Period first, Redemption coupon) {
    }

    private Mono<CartLine> cartLine(Actor who, Customer customer, CartItem item, String field,
            java.util.Optional<Subscription> parent, BillingCycle cycle, int quantity, List<SelectedOption> options,
            String code, Instant now) {
        TenantId tenant = customer.tenant();
        return product(tenant, item.productId(), field + "productId")
                .flatMap(product -> attachable(item.parentSubscriptionId(), parent, customer, product)
                        .then(Mono.defer(() -> {
                            PlanCharges charges;
                            Subscription pending;
                            try {
                                requireOrderable(customer, product);
                                charges = plan(product, cycle, customer, quantity, options);
                                pending = Subscription.addonPending(ids.newId(), tenant, customer.id(), product.id(),
                                        item.parentSubscriptionId(), cycle, customer.currency(), quantity,
                                        PlanCharges.resolvedOptions(product, options), now);
                            } catch (DomainException e) {
                                return Mono.error(e);
                            }
                            Mono<Boolean> stock = product.stockLimit() == null ? Mono.just(true)
                                    : catalog.takeStock(tenant, product.id());
                            Period first = BillingPeriods.period(now, cycle, 0);
                            return stock.flatMap(taken -> taken ? Mono.just(pending) : Mono.error(new DomainException(
                                            NOT_ORDERABLE, product.name() + " is sold out.")))
                                    .flatMap(subscriptions::insert)
                                    .flatMap(created -> changed(who, Change.CREATED, created, null))
                                    .flatMap(created -> (code == null ? Mono.just(false)
                                                    : coupons.appliesInTransaction(tenant, code, product.id()))
                                            .flatMap(applies -> applies ? redeem(code, customer, product, created, now)
                                                    : Mono.just(java.util.Optional.<Redemption>empty()))
                                            .map(coupon -> new CartLine(created, discounted(lines(product, created,
                                                    charges, first, true), coupon.orElse(null)), first,
                                                    coupon.orElse(null))));
                        })));
    }

    private Mono<Placed> cartInvoice(Actor who, Customer customer, List<CartLine> cart, Instant now) {
        TenantId tenant = customer.tenant();
        List<InvoiceLine.Draft> lines = cart.stream().flatMap(line -> line.lines().stream()).toList();
        String coupon = cart.stream().map(CartLine::coupon).filter(java.util.Objects::nonNull).findFirst()
                .map(redemption -> ", coupon " + redemption.coupon().code()).orElse("");
        String memo = (cart.size() == 1 ? "Subscription " : "Subscriptions ") + cart.stream()
                .map(line -> line.pending().id().toString()).collect(java.util.stream.Collectors.joining(", "))
                + coupon;
        return invoices.issueInTransaction(tenant, who, customer, ids.newId(), lines, now, memo)
                .flatMap(invoice -> Flux.fromIterable(cart)
                        .concatMap(line -> countCycle(line.coupon(), invoice)
                                .then(subscriptions.recordBilled(tenant, new BilledPeriod(line.pending().id(),
                                        line.first(), invoice.id(), Subscriptions.BillingKind.FIRST)))
                                .then(invoice.status() == InvoiceStatus.PAID
                                        ? activate(who, line.pending(), line.first().start(), Duration.ZERO)
                                        : Mono.just(line.pending())))
                        .collectList()
                        .map(started -> new Placed(started, invoice)));
    }

    /**
     * Whether the product may be ordered with (or without) this parent: an add-on product needs a live subscription
     * of the same customer whose product offers it, and only add-ons have parents.
     */
    private Mono<Void> attachable(UUID parentId, java.util.Optional<Subscription> parent, Customer customer,
            Product product) {
        if (parentId == null) {
            return product.kind() == Product.Kind.ADDON ? Mono.error(invalid("parentSubscriptionId",
                    "is required: " + product.name() + " is an add-on, ordered for a subscription that offers it"))
                    : Mono.empty();
        }
        Subscription found = parent.filter(p -> p.customerId().equals(customer.id())).orElse(null);
        if (found == null) {
            return Mono.error(invalid("parentSubscriptionId",
                    "no subscription " + parentId + " of customer " + customer.id() + " exists"));
        }
        if (!found.status().isRunning() && found.status() != SubscriptionStatus.PENDING || found.cancelAtPeriodEnd()) {
            return Mono.error(new DomainException(STATE, "Subscription " + found.id() + " is "
                    + (found.cancelAtPeriodEnd() ? "being cancelled" : found.status().wireName())
                    + "; add-ons cannot be ordered for it."));
        }
        return product(customer.tenant(), found.productId(), "parentSubscriptionId")
                .flatMap(parentProduct -> parentProduct.addonIds().contains(product.id()) ? Mono.<Void>empty()
                        : Mono.error(invalid("productId", product.name() + " is not offered as an add-on of "
                                + parentProduct.name())));
    }

    /**
     * A plan change keeps add-ons and the rest apart: an add-on moves only to another add-on its parent's product
     * offers, and nothing else moves to an add-on product.
     */
    private Mono<Void> stillAttachable(Subscription current, Product newProduct) {
        if (!current.isAddon()) {
            return newProduct.kind() == Product.Kind.ADDON ? Mono.error(invalidChange("productId", newProduct.name()
                    + " is an add-on; order it for a subscription that offers it")) : Mono.empty();
        }
        return subscriptions.find(current.tenant(), current.parentId())
                .flatMap(parent -> product(current.tenant(), parent.productId(), "productId"))
                .flatMap(parentProduct -> parentProduct.addonIds().contains(newProduct.id()) ? Mono.<Void>empty()
                        : Mono.error(invalidChange("productId", newProduct.name() + " is not offered as an add-on of "
                                + parentProduct.name())));
    }

    private static DomainException invalidChange(String field, String message) {
        FieldErrors errors = new FieldErrors();
        errors.add(field, message);
        return errors.toException(INVALID, "The plan change has invalid fields.");
    }

    private static DomainException invalid(String field, String message) {
        FieldErrors errors = new FieldErrors();
        errors.add(field, message);
        return errors.toException(INVALID, "The order has invalid fields.");
    }

    /** The coupon the order names, redeemed for the new subscription; refused coupons refuse the order. */
    private Mono<java.util.Optional<Redemption>> redeem(String code, Customer customer, Product product,
            Subscription subscription, Instant now) {
        if (code == null || code.isBlank()) {
            return Mono.just(java.util.Optional.empty());
        }
        return coupons.redeemInTransaction(subscription.tenant(), customer.id(), code, java.util.Set.of(product.id()),
                customer.currency(), now, subscription.id()).map(java.util.Optional::of);
    }

    /** Period 0 from the order, and the setup fees; paid at once (credit), it activates the subscription. */
    private Mono<Ordered> firstInvoice(Actor who, Customer customer, Product product, Subscription pending,
            PlanCharges charges, Instant now, Redemption coupon) {
        Period first = BillingPeriods.period(now, pending.cycle(), 0);
        List<InvoiceLine.Draft> lines = discounted(lines(product, pending, charges, first, true), coupon);
        UUID invoiceId = ids.newId();
        return invoices.issueInTransaction(pending.tenant(), who, customer, invoiceId, lines, now,
                        memo("Subscription " + pending.id(), coupon))
                .flatMap(invoice -> countCycle(coupon, invoice).thenReturn(invoice))
                .flatMap(invoice -> subscriptions.recordBilled(pending.tenant(),
                                new BilledPeriod(pending.id(), first, invoice.id(), Subscriptions.BillingKind.FIRST))
                        .then(invoice.status() == InvoiceStatus.PAID ? activate(who, pending, first.start(), Duration.ZERO)
                                : Mono.just(pending))
                        .map(subscription -> new Ordered(subscription, invoice)));
    }

    /**
     * An invoice was paid: the pending subscriptions it was the first invoice of (one, or a cart's) start, as of the start of the period
     * it billed. Idempotent: anything else (a renewal, an already active subscription) changes nothing.
     */
    public Mono<Void> onInvoicePaid(EventEnvelope event) {
        TenantId tenant = new TenantId(event.tenantId());
        return subscriptions.findPendingByFirstInvoice(tenant, event.aggregateId())
                .concatMap(pending -> subscriptions.billedPeriods(tenant, pending.id()).next()
                        .flatMap(first -> activate(Actor.system("billing"), pending, first.period().start(), Duration.ZERO)))
                .then();
    }

    public Mono<Subscription> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> visible(actor, id));
    }

    public Flux<Subscription> list(Principal actor, Filter filter) {
        FieldErrors errors = new FieldErrors();
        SubscriptionStatus status = filter.status() == null ? null
                : errors.check("status", () -> SubscriptionStatus.fromWire(filter.status()));
        try {
            errors.throwIfAny(INVALID, "The filter has invalid values.");
        } catch (DomainException e) {
            return Flux.error(e);
        }
        boolean client = actor.kind() == UserKind.CLIENT;
        if (client && filter.customerId() != null && !filter.customerId().equals(actor.customerId())) {
            return Flux.empty();
        }
        UUID customer = client ? actor.customerId() : filter.customerId();
        return unitOfWork.inTransactionMany(() -> subscriptions.list(actor.tenant(),
                new Subscriptions.Query(customer, filter.parentId(), status, filter.afterId(), filter.limit())));
    }

    /** The invoices of a subscription's periods, oldest first. */
    public Flux<BilledPeriod> billedPeriods(Principal actor, UUID id) {
        return unitOfWork.inTransactionMany(() -> visible(actor, id)
                .flatMapMany(subscription -> subscriptions.billedPeriods(actor.tenant(), id)));
    }

    /** Staff start a pending subscription by hand, e.g. when its first invoice was paid by bank transfer. */
    public Mono<Subscription> activate(Principal actor, UUID id) {
        return transition(actor, id, current -> {
            if (current.status() != SubscriptionStatus.PENDING) {
                throw new IllegalStateException("cannot activate: the subscription is " + current.status().wireName());
            }
            return parentAllows(current, "activate it", parent -> !parent.cancelAtPeriodEnd()
                            && (parent.status().isRunning() || parent.status() == SubscriptionStatus.PENDING))
                .then(subscriptions.billedPeriods(actor.tenant(), id).next())
                .map(first -> first.period().start())
                .defaultIfEmpty(clock.instant())
                .flatMap(start -> activate(Actors.of(actor), current, start, Duration.ZERO));
        });
    }

    /**
     * Stops the service; its active add-ons are suspended with it, at the same instant, which is how unsuspending the
     * parent tells them from add-ons suspended for reasons of their own.
     */
    public Mono<Subscription> suspend(Principal actor, UUID id, String reason) {
        return transition(actor, id, current -> suspendInTransaction(Actors.of(actor), current, reason));
    }

    /** {@link #suspend} inside the caller's unit of work, for work no user asked for (dunning). */
    public Mono<Subscription> suspendInTransaction(Actor who, Subscription current, String reason) {
        Instant now = clock.instant();
        return save(who, Change.SUSPENDED, current, current.suspend(now), reason(reason))
                .flatMap(saved -> withAddons(saved, addon -> addon.status() == SubscriptionStatus.ACTIVE
                        ? save(who, Change.SUSPENDED, addon, addon.suspend(now), followed(saved, reason))
                        : Mono.empty()));
    }

    /** Restores the service, and the add-ons that were suspended with it; an add-on's parent must be running. */
    public Mono<Subscription> unsuspend(Principal actor, UUID id) {
        return transition(actor, id, current -> unsuspendInTransaction(Actors.of(actor), current, null));
    }

    /** {@link #unsuspend} inside the caller's unit of work, for work no user asked for (payment after dunning). */
    public Mono<Subscription> unsuspendInTransaction(Actor who, Subscription current, String reason) {
        Instant now = clock.instant();
        return parentAllows(current, "unsuspend it", parent -> parent.status() != SubscriptionStatus.SUSPENDED)
                .then(save(who, Change.UNSUSPENDED, current, current.unsuspend(now), reason(reason)))
                .flatMap(saved -> withAddons(saved, addon -> addon.status() == SubscriptionStatus.SUSPENDED
                        && addon.suspendedAt().equals(current.suspendedAt())
                        ? save(who, Change.UNSUSPENDED, addon, addon.unsuspend(now), followed(saved, reason))
                        : Mono.empty()));
    }

    /**
     * Immediately, or at the end of the current period (the subscription runs and is billed until then). Its add-ons
     * go with it: cancelled now, or each at the end of its own period, already paid for; an add-on still pending (its
     * first invoice unpaid) is cancelled now either way, as there will be nothing left to attach it to.
     */
    public Mono<Subscription> cancel(Principal actor, UUID id, boolean atPeriodEnd, String reason) {
        Actor who = Actors.of(actor);
        Instant now = clock.instant();
        return transition(actor, id, current -> save(who,
                atPeriodEnd ? Change.CANCELLATION_SCHEDULED : Change.CANCELLED, current,
                current.cancel(now, atPeriodEnd), reason(reason))
                .flatMap(saved -> withAddons(saved, addon -> {
                    boolean later = atPeriodEnd && addon.status().isRunning();
                    if (addon.status() == SubscriptionStatus.CANCELLED || later && addon.cancelAtPeriodEnd()) {
                        return Mono.empty();
                    }
                    return save(who, later ? Change.CANCELLATION_SCHEDULED : Change.CANCELLED, addon,
                            addon.cancel(now, later), followed(saved, reason));
                })));
    }

    /** Keeps the subscription, and the add-ons whose cancellation was scheduled with it; an add-on's parent must stay. */
    public Mono<Subscription> withdrawCancellation(Principal actor, UUID id) {
        Actor who = Actors.of(actor);
        return transition(actor, id, current -> parentAllows(current, "withdraw its cancellation",
                        parent -> parent.status().isRunning() && !parent.cancelAtPeriodEnd())
                .then(save(who, Change.CANCELLATION_WITHDRAWN, current, current.undoCancelAtPeriodEnd(), null))
                .flatMap(saved -> withAddons(saved, addon -> addon.cancelAtPeriodEnd()
                        ? save(who, Change.CANCELLATION_WITHDRAWN, addon, addon.undoCancelAtPeriodEnd(),
                                followed(saved, null))
                        : Mono.empty())));
    }

    /** Removes the service for good, and its add-ons with it (one still pending is cancelled: it never ran). */
    public Mono<Subscription> terminate(Principal actor, UUID id, String reason) {
        return transition(actor, id, current -> terminateInTransaction(Actors.of(actor), current, reason));
    }

    /** {@link #terminate} inside the caller's unit of work, for work no user asked for (dunning). */
    public Mono<Subscription> terminateInTransaction(Actor who, Subscription current, String reason) {
        Instant now = clock.instant();
        return save(who, Change.TERMINATED, current, current.terminate(now), reason(reason))
                .flatMap(saved -> withAddons(saved, addon -> addon.status() == SubscriptionStatus.PENDING
                        ? save(who, Change.CANCELLED, addon, addon.cancel(now, false), followed(saved, reason))
                        : save(who, Change.TERMINATED, addon, addon.terminate(now), followed(saved, reason))));
    }

    /**
     * Carries a change of the parent over to its add-ons not terminated yet, locked in id order, each saved with its own
     * event; {@code follow} picks those the change applies to.
     */
    private Mono<Subscription> withAddons(Subscription parent, Function<Subscription, Mono<Subscription>> follow) {
        return subscriptions.lockAddons(parent.tenant(), parent.id()).concatMap(follow).then(Mono.just(parent));
    }

    /** Why an add-on changed: its parent did. */
    private static String followed(Subscription parent, String reason) {
        String why = reason(reason);
        return "with its parent subscription " + parent.id() + (why == null ? "" : ": " + why);
    }

    /** Refuses a change of an add-on that its parent's state rules out; anything else passes. */
    private Mono<Void> parentAllows(Subscription subscription, String action,
            java.util.function.Predicate<Subscription> allows) {
        if (!subscription.isAddon()) {
            return Mono.empty();
        }
        return subscriptions.find(subscription.tenant(), subscription.parentId())
                .filter(parent -> !allows.test(parent))
                .flatMap(parent -> Mono.error(new DomainException(STATE, "Subscription " + subscription.id()
                        + " is an add-on of subscription " + parent.id() + ", which is "
                        + (parent.cancelAtPeriodEnd() ? "being cancelled" : parent.status().wireName()) + "; cannot "
                        + action + ".")));
    }

    /**
     * The lines a plan change would bring, now: a credit for the unused part of the current period at the old price,
     * and the new plan for the rest of it (or for a whole new period when the cycle changes), prorated as the tenant's
     * settings say. Nothing changes.
     */
    public Mono<ChangePreview> previewChange(Principal actor, UUID id, ChangeDraft draft) {
        return unitOfWork.inTransaction(() -> visible(actor, id).flatMap(current -> preview(actor.tenant(), current, draft)));
    }

    private Mono<ChangePreview> preview(TenantId tenant, Subscription current, ChangeDraft draft) {
        FieldErrors errors = new FieldErrors();
        BillingCycle cycle = draft.cycle() == null ? current.cycle() : errors.check("cycle", () -> recurring(draft.cycle()));
        int quantity = draft.quantity() == null ? current.quantity() : quantity(draft.quantity(), errors);
        List<SelectedOption> options = draft.options() == null ? null : options(draft.options(), errors);
        try {
            errors.throwIfAny(INVALID, "The plan change has invalid fields.");
        } catch (DomainException e) {
            return Mono.error(e);
        }
        if (current.status() != SubscriptionStatus.ACTIVE) {
            return Mono.error(state(current, "change its plan"));
        }
        UUID productId = draft.productId() == null ? current.productId() : draft.productId();
        Instant now = clock.instant();
        return Mono.zip(product(tenant, current.productId(), "productId"), product(tenant, productId, "productId"),
                        customers.lockedForBilling(tenant, current.customerId()), settings.current(tenant),
                        coupons.redemptionOfSubscriptionInTransaction(tenant, current.id()),
                        runningPeriodDiscounted(current, now))
                .flatMap(found -> productId.equals(current.productId()) ? Mono.just(found)
                        : stillAttachable(current, found.getT2()).thenReturn(found))
                .flatMap(found -> {
                    Product oldProduct = found.getT1();
                    Product newProduct = found.getT2();
                    Customer customer = found.getT3();
                    Redemption coupon = found.getT5().orElse(null);
                    boolean discountedNow = found.getT6();
                    try {
                        if (!productId.equals(current.productId())) {
                            requireOrderable(customer, newProduct);
                        }
                        List<SelectedOption> chosen = options != null ? options
                                : productId.equals(current.productId()) ? current.options() : List.of();
                        PlanCharges before = plan(oldProduct, current.cycle(), customer, current.quantity(), current.options());
                        PlanCharges after = plan(newProduct, cycle, customer, quantity, chosen);
                        Subscription changed = current.changePlan(productId, cycle, quantity,
                                PlanCharges.resolvedOptions(newProduct, chosen), now);
                        Proration.Granularity granularity = found.getT4().prorationGranularity();
                        boolean newCycle = cycle != current.cycle();
                        CouponPrices prices = new CouponPrices(coupon, before.recurring(),
                                afterCoupon(oldProduct, current, before, coupon), after.recurring(),
                                afterCoupon(newProduct, changed, after, coupon),
                                newCycle && coupon != null && coupon.appliesToNextCycle());
                        if (current.inTrial(now)) {
                            Money none = Money.zero(customer.currency());
                            return Mono.just(new ChangePreview(current, changed, new Proration.Result(none, none, none, 0,
                                    1, changed.currentPeriod()), granularity, List.of(), before.recurring(),
                                    after.recurring(), now, oldProduct, newProduct, customer, true, prices, none));
                        }
                        boolean newDiscounted = newCycle ? prices.newPeriod() : discountedNow;
                        Money oldRecurring = prices.old(discountedNow);
                        Money newRecurring = prices.recurring(newDiscounted);
                        Proration.Result result = Proration.calculate(current.currentPeriod(), now, oldRecurring,
                                current.cycle(), newRecurring, cycle, granularity);
                        // The same charge at the full price, so the invoice shows the coupon's part as a discount.
                        Money chargeBeforeCoupon = newDiscounted ? Proration.calculate(current.currentPeriod(), now,
                                oldRecurring, current.cycle(), prices.newFull(), cycle, granularity).charge()
                                : result.charge();
                        List<PreviewLine> lines = new ArrayList<>();
                        Period unused = new Period(now, current.currentPeriod().end());
                        if (!result.credit().isZero()) {
                            lines.add(new PreviewLine("Unused time on " + oldProduct.name() + " " + span(unused)
                                    + prices.note(discountedNow), result.credit(), unused));
                        }
                        lines.add(new PreviewLine(newProduct.name() + " " + span(result.newPeriod())
                                + prices.note(newDiscounted), result.charge(), result.newPeriod()));
                        return Mono.just(new ChangePreview(current, changed, result, granularity, lines,
                                oldRecurring, newRecurring, now, oldProduct, newProduct, customer, false, prices,
                                chargeBeforeCoupon));
                    } catch (IllegalStateException e) {
                        return Mono.error(new DomainException(STATE, e.getMessage() + "."));
                    } catch (IllegalArgumentException e) {
                        FieldErrors invalid = new FieldErrors();
                        invalid.addRuleViolation(e, "plan");
                        return Mono.error(invalid.toException(INVALID, "The plan change has invalid fields."));
                    }
                });
    }

    /** Whether the invoice that billed the period the subscription is in gave it a coupon's discount. */
    private Mono<Boolean> runningPeriodDiscounted(Subscription subscription, Instant now) {
        if (subscription.currentPeriod() == null) {
            return Mono.just(false);
        }
        return subscriptions.billedPeriods(subscription.tenant(), subscription.id())
                .filter(billed -> billed.invoiceId() != null && billed.period().contains(now))
                .reduce((a, b) -> a.invoiceId().compareTo(b.invoiceId()) >= 0 ? a : b)
                .flatMap(billed -> invoices.findInTransaction(subscription.tenant(), billed.invoiceId()))
                .map(invoice -> discounted(invoice, subscription.id()))
                .defaultIfEmpty(false);
    }

    /** Whether the invoice discounted the subscription's recurring lines (the only discount they get is a coupon's). */
    private static boolean discounted(Invoice invoice, UUID subscriptionId) {
        return invoice.pricing().lines().stream().anyMatch(line -> subscriptionId.equals(line.subscriptionId())
                && line.periodStart() != null && line.discount().isPositive());
    }

    /** The plan's recurring amount for a period less the coupon's discount on it, as a renewal would work it out. */
    private static Money afterCoupon(Product product, Subscription subscription, PlanCharges charges,
            Redemption coupon) {
        if (coupon == null) {
            return charges.recurring();
        }
        Period any = subscription.currentPeriod() == null ? new Period(subscription.createdAt(),
                subscription.createdAt().plusSeconds(1)) : subscription.currentPeriod();
        Money net = Money.zero(charges.recurring().currency());
        for (InvoiceLine.Draft line : discounted(lines(product, subscription, charges, any, false), coupon)) {
            net = net.plus(line.amount());
        }
        return net;
    }

    /**
     * Moves a subscription, locked by the caller, whose period ended to the period that contains {@code asOf}, or
     * cancels it when that was scheduled. Inside the caller's unit of work (the billing run).
     */
    public Mono<Subscription> reachPeriodEndInTransaction(Actor who, Subscription ended, Instant asOf) {
        Subscription next = ended;
        while (next.status().isRunning() && !next.currentPeriod().end().isAfter(asOf)) {
            next = next.reachPeriodEnd();
        }
        boolean cancelled = next.status() == SubscriptionStatus.CANCELLED;
        return save(who, cancelled ? Change.CANCELLED : Change.RENEWED, ended, next,
                cancelled ? "cancelled at the end of its period" : null);
    }

    /**
     * What invoicing a batch of due subscriptions did: the invoices issued, the periods someone else had billed first,
     * and the subscriptions that could not be billed, with why; nothing was recorded for the last two.
     */
    public record Invoiced(List<InvoiceService.Issued> issued, int skipped, Map<UUID, RuntimeException> failures) {

        public static final Invoiced NOTHING = new Invoiced(List.of(), 0, Map.of());
    }

    /**
     * Invoices the next period of each due subscription, all locked by the caller, inside its unit of work. Every
     * invoice is worked out before anything is written, so a subscription that cannot be billed (its plan lost the
     * price of its cycle, say) is left out and reported without holding up the others. The periods are then claimed
     * under their unique key, with the ids their invoices will have, and only the claimed ones are issued: a period
     * billed by anyone else (another instance, a retry after a crash) is skipped, with nothing written for it.
     */
    public Mono<Invoiced> invoiceNextPeriodsInTransaction(List<Subscriptions.Due> due) {
        if (due.isEmpty()) {
            return Mono.just(Invoiced.NOTHING);
        }
        TenantId tenant = due.getFirst().subscription().tenant();
        Set<UUID> productIds = new HashSet<>();
        Set<UUID> customerIds = new HashSet<>();
        due.forEach(d -> {
            productIds.add(d.subscription().productId());
            customerIds.add(d.subscription().customerId());
        });
        return Mono.zip(catalog.findProducts(tenant, productIds).collectMap(Product::id),
                        customers.lockedForBilling(tenant, customerIds).collectMap(Customer::id),
                        invoices.issueTerms(tenant), couponsFor(tenant, due))
                .flatMap(found -> {
                    Map<UUID, Product> products = found.getT1();
                    Map<UUID, Customer> locked = found.getT2();
                    InvoiceService.IssueTerms terms = found.getT3();
                    Map<UUID, Redemption> couponOf = found.getT4();
                    Map<UUID, RuntimeException> failures = new LinkedHashMap<>();
                    Map<UUID, Invoice> drafts = new LinkedHashMap<>();
                    List<BilledPeriod> claims = new ArrayList<>();
                    for (Subscriptions.Due one : due) {
                        Subscription subscription = one.subscription();
                        try {
                            Product product = products.get(subscription.productId());
                            if (product == null) {
                                throw unknownProduct("productId", subscription.productId());
                            }
                            Customer customer = locked.get(subscription.customerId());
                            if (customer == null) {
                                throw new DomainException(CustomerService.NOT_FOUND,
                                        "No customer " + subscription.customerId() + " exists.");
                            }
                            Period period = nextPeriod(subscription, one.billedThrough());
                            List<InvoiceLine.Draft> lines = lines(product, subscription, plan(product, subscription.cycle(),
                                    customer, subscription.quantity(), subscription.options()), period, false);
                            Redemption coupon = couponOf.get(subscription.id());
                            Invoice draft = invoices.priced(terms, customer, ids.newId(), discounted(lines, coupon),
                                    period.start(), memo("Renewal of subscription " + subscription.id(), coupon));
                            drafts.put(subscription.id(), draft);
                            claims.add(new BilledPeriod(subscription.id(), period, draft.id(),
                                    Subscriptions.BillingKind.RENEWAL));
                        } catch (RuntimeException e) {
                            // Nothing is written yet: whatever stops one subscription's invoice stops only that one.
                            failures.put(subscription.id(), e);
                        }
                    }
                    return subscriptions.recordBilledAll(tenant, claims).collect(Collectors.toSet())
                            .flatMap(claimed -> {
                                List<Invoice> issuing = drafts.entrySet().stream()
                                        .filter(draft -> claimed.contains(draft.getKey())).map(Map.Entry::getValue)
                                        .toList();
                                List<Customer> paying = issuing.stream().map(Invoice::customerId).distinct()
                                        .map(locked::get).toList();
                                Map<UUID, Redemption> couponOfInvoice = new HashMap<>();
                                drafts.forEach((subscription, draft) -> {
                                    if (claimed.contains(subscription) && couponOf.containsKey(subscription)) {
                                        couponOfInvoice.put(draft.id(), couponOf.get(subscription));
                                    }
                                });
                                return invoices.issueAllInTransaction(terms, issuing, paying)
                                        .flatMap(issued -> Flux.fromIterable(couponOfInvoice.entrySet())
                                                .concatMap(used -> coupons.markCycleDiscounted(tenant,
                                                        used.getValue().id(), used.getKey()))
                                                .then(Mono.just(new Invoiced(issued, claims.size() - claimed.size(),
                                                        failures))));
                            });
                });
    }

    /** The lines less the coupon's discount on the lines of products it applies to; the lines as they are without. */
    static List<InvoiceLine.Draft> discounted(List<InvoiceLine.Draft> lines, Redemption coupon) {
        if (coupon == null || lines.isEmpty()) {
            return lines;
        }
        Coupon.Applied applied = coupon.coupon().discountFor(lines.stream()
                .map(line -> new DiscountableLine(line.productId(), line.amount())).toList());
        List<InvoiceLine.Draft> discounted = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine.Draft line = lines.get(i);
            discounted.add(new InvoiceLine.Draft(line.description(), line.quantity(), line.unitPrice(),
                    line.discount().plus(applied.lineDiscounts().get(i)), line.periodStart(), line.periodEnd(),
                    line.productId(), line.subscriptionId()));
        }
        return discounted;
    }

    private Mono<Void> countCycle(Redemption coupon, Invoice invoice) {
        return coupon == null ? Mono.empty() : coupons.markCycleDiscounted(invoice.tenant(), coupon.id(), invoice.id());
    }

    private static String memo(String memo, Redemption coupon) {
        return coupon == null ? memo : memo + ", coupon " + coupon.coupon().code();
    }

    /** The coupons that still discount the next invoice of each subscription, by subscription. */
    private Mono<Map<UUID, Redemption>> couponsFor(TenantId tenant, List<Subscriptions.Due> due) {
        return Flux.fromIterable(due)
                .concatMap(one -> coupons.discountForCycleInTransaction(tenant, one.subscription().id())
                        .flatMap(Mono::justOrEmpty))
                .collectMap(Redemption::subscriptionId);
    }

    /** The period that starts where billing stopped; anchored periods, or up to the next boundary after a change. */
    static Period nextPeriod(Subscription subscription, Instant billedThrough) {
        Period containing = BillingPeriods.periodContaining(subscription.anchor(), subscription.cycle(), billedThrough);
        return containing.start().equals(billedThrough) ? containing : new Period(billedThrough, containing.end());
    }

    /**
     * Makes a plan change now, as {@link #previewChange} shows it: every period already invoiced that has time left
     * gets a credit note for the unused part at the old price (on the invoice that billed it: money paid goes to the
     * customer's credit, money still due comes off that invoice), and one invoice charges the new plan for the same
     * time, or for a whole new period from now when the cycle changes. The new invoice is issued after the credit
     * notes, so credit they give is applied to it. Setup fees are not charged again.
     */
    public Mono<Changed> changePlan(Principal actor, UUID id, ChangeDraft draft) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id)
                .flatMap(current -> preview(actor.tenant(), current, draft))
                .flatMap(preview -> applyChange(Actors.of(actor), preview)));
    }

    private Mono<Changed> applyChange(Actor who, ChangePreview preview) {
        Subscription current = preview.current();
        TenantId tenant = current.tenant();
        if (preview.inTrial()) {
            return save(who, Change.PLAN_CHANGED, current, preview.after(), null)
                    .map(saved -> new Changed(saved, null, List.of()));
        }
        Instant at = preview.at();
        boolean newCycle = preview.after().cycle() != current.cycle();
        CouponPrices prices = preview.coupon();
        return subscriptions.billedPeriods(tenant, current.id())
                .filter(billed -> billed.invoiceId() != null && billed.period().end().isAfter(at))
                .collectList()
                .map(SubscriptionService::latestPerSpan)
                .flatMap(unserved -> {
                    List<InvoiceLine.Draft> charges = new ArrayList<>();
                    boolean[] anyDiscounted = {false};
                    Flux<CreditNote> credits = Flux.fromIterable(unserved).concatMap(billed -> invoices
                            .findInTransaction(tenant, billed.invoiceId())
                            .flatMap(invoice -> {
                                // Each span is credited, and charged again, as its own invoice was discounted.
                                boolean discounted = discounted(invoice, current.id());
                                boolean running = !billed.period().start().isAfter(at);
                                Period unused = new Period(running ? at : billed.period().start(), billed.period().end());
                                Money credit = running ? preview.proration().credit().negate() : prices.old(discounted);
                                if (!newCycle) {
                                    Money charge = running ? preview.proration().charge() : prices.recurring(discounted);
                                    Money full = running ? preview.chargeBeforeCoupon() : prices.newFull();
                                    if (charge.isPositive()) {
                                        anyDiscounted[0] |= discounted;
                                        charges.add(new InvoiceLine.Draft(preview.newProduct().name() + " "
                                                + span(unused) + prices.note(discounted), 1, full, full.minus(charge),
                                                unused.start(), unused.end(), preview.newProduct().id(), current.id()));
                                    }
                                }
                                return credit.isPositive() && invoice.isCreditable()
                                        ? creditNotes.issueInTransaction(tenant, who, invoice,
                                                "Plan change of subscription " + current.id(),
                                                List.of(new CreditNoteLine.Draft("Unused time on "
                                                        + preview.oldProduct().name() + " " + span(unused)
                                                        + prices.note(discounted), credit, null)))
                                        : Mono.<CreditNote>empty();
                            }));
                    return credits.collectList().flatMap(notes -> {
                        boolean countsCycle = newCycle && prices.newPeriod() && preview.proration().charge().isPositive();
                        if (newCycle && preview.proration().charge().isPositive()) {
                            Period period = preview.proration().newPeriod();
                            Money full = preview.chargeBeforeCoupon();
                            charges.add(new InvoiceLine.Draft(preview.newProduct().name() + " " + span(period)
                                    + prices.note(prices.newPeriod()), 1, full,
                                    full.minus(preview.proration().charge()), period.start(), period.end(),
                                    preview.newProduct().id(), current.id()));
                        }
                        UUID invoiceId = ids.newId();
                        String memo = "Plan change of subscription " + current.id();
                        Mono<Invoice> invoice = charges.isEmpty() ? Mono.empty()
                                : invoices.issueInTransaction(tenant, who, preview.customer(), invoiceId, charges, at,
                                        countsCycle || anyDiscounted[0] ? memo(memo, prices.redemption()) : memo)
                                        .flatMap(issued -> countsCycle ? coupons.markCycleDiscounted(tenant,
                                                prices.redemption().id(), issued.id()).thenReturn(issued)
                                                : Mono.just(issued));
                        return invoice.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                                .flatMap(issued -> save(who, Change.PLAN_CHANGED, current, preview.after(), null)
                                        .flatMap(saved -> recordChange(saved, preview, charges, issued.orElse(null))
                                                .thenReturn(new Changed(saved, issued.orElse(null), notes))));
                    });
                });
    }

    /**
     * What billed each span of time still to be served: for the running period the latest invoice that billed it (a
     * change bills the rest of a period again), and each period billed ahead likewise. Ids are time-ordered.
     */
    private static List<BilledPeriod> latestPerSpan(List<BilledPeriod> billed) {
        Map<Instant, BilledPeriod> latest = new java.util.TreeMap<>();
        Instant runningKey = Instant.MIN;
        Instant earliestEnd = billed.stream().map(b -> b.period().end()).min(Instant::compareTo).orElse(null);
        for (BilledPeriod period : billed) {
            // Rows ending first belong to the running period, whatever their start (the period or a change in it).
            Instant key = period.period().end().equals(earliestEnd) ? runningKey : period.period().start();
            latest.merge(key, period, (a, b) -> a.invoiceId().compareTo(b.invoiceId()) >= 0 ? a : b);
        }
        return List.copyOf(latest.values());
    }

    /** Which time the change's invoice billed, so that a later change credits it rather than the invoice before. */
    private Mono<Void> recordChange(Subscription saved, ChangePreview preview, List<InvoiceLine.Draft> charges,
            Invoice invoice) {
        TenantId tenant = saved.tenant();
        if (saved.cycle() != preview.current().cycle()) {
            return subscriptions.recordRebilled(tenant, new BilledPeriod(saved.id(), preview.proration().newPeriod(),
                    invoice == null ? null : invoice.id(), Subscriptions.BillingKind.CHANGE));
        }
        if (invoice == null) {
            return Mono.empty();
        }
        return Flux.fromIterable(charges)
                .concatMap(line -> subscriptions.recordBilled(tenant, new BilledPeriod(saved.id(),
                        new Period(line.periodStart(), line.periodEnd()), invoice.id(), Subscriptions.BillingKind.CHANGE)))
                .then();
    }

    private Mono<Subscription> activate(Actor who, Subscription pending, Instant start, Duration trial) {
        return save(who, Change.ACTIVATED, pending, pending.activate(start, trial), null);
    }

    private Mono<Subscription> transition(Principal actor, UUID id, Function<Subscription, Mono<Subscription>> change) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(current -> {
            try {
                return change.apply(current);
            } catch (IllegalStateException e) {
                return Mono.error(new DomainException(STATE, e.getMessage() + "."));
            } catch (IllegalArgumentException e) {
                FieldErrors invalid = new FieldErrors();
                invalid.addRuleViolation(e, "subscription");
                return Mono.error(invalid.toException(INVALID, "The change is not possible."));
            }
        }));
    }

    private Mono<Subscription> save(Actor who, Change change, Subscription before, Subscription after, String reason) {
        return subscriptions.update(after, before.version())
                .switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                        "The subscription was changed by someone else meanwhile; reload it and try again.")))
                .flatMap(saved -> changed(who, change, saved, reason));
    }

    private Mono<Subscription> changed(Actor who, Change change, Subscription subscription, String reason) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("status", subscription.status().wireName());
        detail.put("product", subscription.productId().toString());
        detail.put("cycle", subscription.cycle().wireName());
        if (reason != null) {
            detail.put("reason", reason);
        }
        return events.record(subscription.tenant(), SubscriptionChanged.of(change, subscription, reason))
                .then(audit.record(subscription.tenant(), who, "subscription." + change.wireName(), "subscription",
                        subscription.id().toString(), Map.of(), detail))
                .thenReturn(subscription);
    }

    /** The lines invoicing {@code period} of the plan; setup fees only on the first. */
    public static List<InvoiceLine.Draft> lines(Product product, Subscription subscription, PlanCharges charges,
            Period period, boolean first) {
        List<InvoiceLine.Draft> lines = new ArrayList<>();
        for (PlanCharges.Charge charge : charges.charges()) {
            if (charge.setup() && !first) {
                continue;
            }
            String description = charge.setup() ? charge.description() : charge.description() + " " + span(period);
            lines.add(new InvoiceLine.Draft(description, charge.quantity(), charge.unitPrice(), null,
                    charge.setup() ? null : period.start(), charge.setup() ? null : period.end(), product.id(),
                    subscription.id()));
        }
        return lines;
    }

    /** {@code 2026-12-01 – 2026-12-31}: the days a period covers, its end date being the last day of service. */
    static String span(Period period) {
        LocalDate from = period.start().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate to = period.end().minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        return from + " – " + to;
    }

    private PlanCharges plan(Product product, BillingCycle cycle, Customer customer, int quantity,
            List<SelectedOption> options) {
        try {
            return PlanCharges.of(product, cycle, customer.currency(), quantity, options);
        } catch (IllegalArgumentException e) {
            FieldErrors errors = new FieldErrors();
            errors.addRuleViolation(e, "plan");
            throw errors.toException(INVALID, "The plan cannot be billed.");
        }
    }

    private static void requireOrderable(Customer customer, Product product) {
        if (product.status() == Product.Status.RETIRED) {
            throw new DomainException(NOT_ORDERABLE, product.name() + " is retired and cannot be ordered any more.");
        }
        if (customer.status() != Customer.Status.ACTIVE) {
            throw new DomainException(NOT_ORDERABLE, "Customer " + customer.id() + " is "
                    + customer.status().name().toLowerCase(java.util.Locale.ROOT) + " and cannot order.");
        }
    }

    private Mono<Product> product(TenantId tenant, UUID id, String field) {
        return catalog.findProduct(tenant, id).switchIfEmpty(Mono.error(() -> unknownProduct(field, id)));
    }

    private static DomainException unknownProduct(String field, UUID id) {
        FieldErrors errors = new FieldErrors();
        errors.add(field, "no product " + id + " exists");
        return errors.toException(INVALID, "The order names an unknown product.");
    }

    private static BillingCycle recurring(String value) {
        BillingCycle cycle = BillingCycle.fromWire(value);
        if (!cycle.recurs()) {
            throw new IllegalArgumentException("a subscription recurs; one_time products are invoiced directly");
        }
        return cycle;
    }

    private static int quantity(Integer quantity, FieldErrors errors) {
        int value = quantity == null ? 1 : quantity;
        if (value < 1 || value > MAX_QUANTITY) {
            errors.add("quantity", "from 1 to " + MAX_QUANTITY);
            return 1;
        }
        return value;
    }

    private static List<SelectedOption> options(List<OptionDraft> drafts, FieldErrors errors) {
        List<SelectedOption> options = new ArrayList<>();
        List<OptionDraft> list = drafts == null ? List.of() : drafts;
        for (int i = 0; i < list.size(); i++) {
            OptionDraft draft = list.get(i);
            String field = "options[" + i + "]";
            if (draft == null || draft.optionId() == null) {
                errors.add(field + ".optionId", "is required");
                continue;
            }
            SelectedOption option = errors.check(field + ".quantity",
                    () -> new SelectedOption(draft.optionId(), draft.quantity() == null ? 1 : draft.quantity()));
            if (option != null) {
                options.add(option);
            }
        }
        return options;
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String text = reason.strip();
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private Mono<Subscription> visible(Principal actor, UUID id) {
        return subscriptions.find(actor.tenant(), id)
                .filter(s -> actor.kind() != UserKind.CLIENT || s.customerId().equals(actor.customerId()))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    private Mono<Subscription> staffVisible(Principal actor, UUID id) {
        return actor.kind() == UserKind.CLIENT ? Mono.error(notFound(id)) : visible(actor, id);
    }

    private static DomainException state(Subscription subscription, String action) {
        return new DomainException(STATE, "Subscription " + subscription.id() + " is " + subscription.status().wireName()
                + "; cannot " + action + ".");
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No subscription " + id + " exists.");
    }
}
