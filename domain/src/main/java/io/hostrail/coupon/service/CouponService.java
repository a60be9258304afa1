package io.hostrail.coupon.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.model.Product;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.coupon.model.Coupon;
import io.hostrail.coupon.model.CouponEvents.CouponCreated;
import io.hostrail.coupon.model.CouponEvents.CouponDeactivated;
import io.hostrail.coupon.model.CouponEvents.CouponRedeemed;
import io.hostrail.coupon.model.CouponEvents.CouponUpdated;
import io.hostrail.coupon.model.Discount;
import io.hostrail.coupon.model.DiscountableLine;
import io.hostrail.coupon.model.Redemption;
import io.hostrail.coupon.model.Refusal;
import io.hostrail.coupon.port.out.Coupons;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Coupons: staff create, change and deactivate them (part of the catalog, so {@code product:write}); customers check a
 * code at checkout; and the billing code redeems them and counts the invoices they discounted, inside its own unit of
 * work.
 *
 * <p>For billing, three methods, all joining the caller's unit of work (they start one when there is none) and taking
 * the tenant the caller works for:
 * <ul>
 *   <li>{@link #redeemInTransaction} when an order carries a code: checks it and records the use;</li>
 *   <li>{@link #discountForCycleInTransaction} when a subscription is invoiced: the redemption whose coupon discounts
 *       this invoice, if any;</li>
 *   <li>{@link #markCycleDiscounted} once that invoice got the discount.</li>
 * </ul>
 * The discount itself is {@code redemption.coupon().discountFor(lines)}.
 *
 * <p>Once a coupon has been redeemed its discount, duration and products no longer change, since subscriptions that
 * redeemed it keep getting it on their renewals; anything else (code, description, limits, validity, active) only
 * affects redemptions to come.
 */
public final class CouponService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("coupon.not_found");
    /**
     * A code that names no coupon of the tenant. The same code as {@link #NOT_FOUND}, since it means the same thing, but
     * a field error: the customer typed it into an order.
     */
    public static final ErrorCode CODE_NOT_FOUND = ErrorCode.validation("coupon.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("coupon.invalid");
    public static final ErrorCode CHECK_INVALID = ErrorCode.validation("coupon_check.invalid");
    public static final ErrorCode CODE_TAKEN = ErrorCode.conflict("coupon.code_taken");
    public static final ErrorCode TERMS_LOCKED = ErrorCode.rejected("coupon.terms_locked");
    public static final ErrorCode SUBSCRIPTION_HAS_COUPON = ErrorCode.conflict("coupon.subscription_has_coupon");
    public static final ErrorCode REDEMPTION_NOT_FOUND = ErrorCode.notFound("coupon_redemption.not_found");
    public static final ErrorCode NO_CYCLE_LEFT = ErrorCode.conflict("coupon_redemption.no_cycle_left");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");

    /** The field an order names its coupon code in; refusals of {@link #redeemInTransaction} point at it. */
    public static final String ORDER_CODE_FIELD = "couponCode";

    static final int MAX_AMOUNTS = 50;
    static final int MAX_PRODUCTS = 200;
    static final int MAX_LINES = 200;
    private static final int MAX_DESCRIPTION = 500;

    /** A fixed amount as asked for: a decimal string in major units of {@code currency}. */
    public record AmountDraft(String currency, String amount) {
    }

    /**
     * A coupon as staff write it. {@code kind} is {@code percent} (with {@code percent}) or {@code fixed} (with
     * {@code amounts}); {@code duration} is {@code once} (the default), {@code forever} or {@code repeating} (with
     * {@code cycles}); {@code active} defaults to true.
     */
    public record CouponDraft(String code, String description, String kind, String percent, List<AmountDraft> amounts,
            String duration, Integer cycles, List<UUID> productIds, Integer maxRedemptions, Integer perCustomerLimit,
            Instant validFrom, Instant expiresAt, Boolean active) {
    }

    public record Filter(String code, Boolean active, UUID afterId, int limit) {
    }

    /** A line to work the discount out on, in the check's currency. */
    public record LineDraft(UUID productId, String amount) {
    }

    /**
     * A code to check at checkout. {@code customerId}: for staff, the customer ordering (without one the per-customer
     * limit is not checked); a client user's own customer by default, and no other. The products on the order are
     * {@code productIds} and those of {@code lines}.
     */
    public record CheckDraft(String code, UUID customerId, List<UUID> productIds, String currency, List<LineDraft> lines) {
    }

    /** A code that would be accepted now, and what it takes off the lines given ({@code discount} null without lines). */
    public record Check(Coupon coupon, Currency currency, List<DiscountableLine> lines, Coupon.Applied discount) {

        public Check {
            Objects.requireNonNull(coupon, "coupon");
            Objects.requireNonNull(currency, "currency");
            lines = List.copyOf(lines);
        }
    }

    private final Coupons coupons;
    private final Catalog catalog;
    private final CustomerService customers;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public CouponService(Coupons coupons, Catalog catalog, CustomerService customers, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.coupons = coupons;
        this.catalog = catalog;
        this.customers = customers;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    // --- staff ----------------------------------------------------------------------------------------------------

    public Mono<Coupon> create(Principal actor, CouponDraft draft) {
        UUID id = ids.newId();
        return unitOfWork.inTransaction(() -> validated(actor.tenant(), id, draft, null)
                .flatMap(coupon -> coupons.create(coupon)
                        .onErrorMap(Coupons.CodeTaken.class, taken -> codeTaken(coupon.code())))
                .flatMap(created -> events.record(actor.tenant(), new CouponCreated(created.id(), created.code(),
                                kind(created.discount()), duration(created.duration())))
                        .then(audit.record(actor.tenant(), Actors.of(actor), "coupon.created", "coupon",
                                created.id().toString(), Map.of(), summary(created)))
                        .thenReturn(created)));
    }

    public Mono<Coupon> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> coupons.find(actor.tenant(), id)).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    public Flux<Coupon> list(Principal actor, Filter filter) {
        FieldErrors errors = new FieldErrors();
        String code = filter.code() == null ? null : rule(errors, "code", () -> Coupon.normalizeCode(filter.code()));
        try {
            errors.throwIfAny(INVALID, "The filter has invalid values.");
        } catch (DomainException e) {
            return Flux.error(e);
        }
        return unitOfWork.inTransactionMany(() -> coupons.list(actor.tenant(),
                new Coupons.Query(code, filter.active(), filter.afterId(), filter.limit())));
    }

    /**
     * Replaces the coupon with the draft, under the version the caller read. The count of redemptions is kept; once
     * there are any, the discount, duration and products must stay as they are.
     */
    public Mono<Coupon> update(Principal actor, UUID id, CouponDraft draft, long expectedVersion) {
        TenantId tenant = actor.tenant();
        return unitOfWork.inTransaction(() -> coupons.findForUpdate(tenant, id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(current -> validated(tenant, id, draft, current)
                        .flatMap(changed -> {
                            if (current.version() != expectedVersion) {
                                return Mono.error(stale());
                            }
                            if (current.redemptions() > 0 && !sameTerms(current, changed)) {
                                return Mono.error(new DomainException(TERMS_LOCKED, "Coupon " + current.code()
                                        + " has been redeemed, so its discount, duration and products can no longer"
                                        + " change; deactivate it and create a new coupon instead."));
                            }
                            return coupons.findByCode(tenant, changed.code())
                                    .filter(other -> !other.id().equals(id))
                                    .flatMap(other -> Mono.<Coupon>error(codeTaken(changed.code())))
                                    .switchIfEmpty(Mono.defer(() -> coupons.update(changed, expectedVersion)))
                                    .onErrorMap(Coupons.CodeTaken.class, taken -> codeTaken(changed.code()));
                        })
                        .switchIfEmpty(Mono.error(CouponService::stale))
                        .flatMap(updated -> events.record(tenant, new CouponUpdated(updated.id(), updated.code(),
                                        updated.active(), updated.version()))
                                .then(audit.record(tenant, Actors.of(actor), "coupon.updated", "coupon", id.toString(),
                                        summary(current), summary(updated)))
                                .thenReturn(updated))));
    }

    /** Stops new redemptions; those made keep applying for their duration. Deactivating an inactive coupon changes nothing. */
    public Mono<Coupon> deactivate(Principal actor, UUID id) {
        TenantId tenant = actor.tenant();
        return unitOfWork.inTransaction(() -> coupons.findForUpdate(tenant, id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(current -> !current.active() ? Mono.just(current)
                        : coupons.update(withActive(current, false), current.version())
                                .switchIfEmpty(Mono.error(CouponService::stale))
                                .flatMap(updated -> events.record(tenant, new CouponDeactivated(updated.id(), updated.code(),
                                                updated.version()))
                                        .then(audit.record(tenant, Actors.of(actor), "coupon.deactivated", "coupon",
                                                id.toString(), Map.of("active", "true"), Map.of("active", "false")))
                                        .thenReturn(updated))));
    }

    /** The coupon's redemptions in the order they were made; an unknown coupon is {@code coupon.not_found}. */
    public Flux<Redemption> redemptions(Principal actor, UUID couponId, UUID afterId, int limit) {
        return unitOfWork.inTransactionMany(() -> coupons.find(actor.tenant(), couponId)
                .switchIfEmpty(Mono.error(() -> notFound(couponId)))
                .flatMapMany(coupon -> coupons.listRedemptions(coupon, afterId, limit)));
    }

    // --- checkout -------------------------------------------------------------------------------------------------

    /**
     * Whether the code would be accepted on an order now, and what it would take off the lines given; records
     * nothing. A refusal is the {@link Refusal}'s error ({@code 422 coupon.expired}, ...), an unknown code
     * {@code 400 coupon.not_found} on {@code code}.
     */
    public Mono<Check> check(Principal actor, CheckDraft draft) {
        FieldErrors errors = new FieldErrors();
        String code = errors.check("code", () -> FieldErrors.required(draft.code()));
        Currency currency = errors.check("currency", () -> Money.zero(FieldErrors.required(draft.currency())
                .toUpperCase(Locale.ROOT)).currency());
        List<DiscountableLine> lines = lines(draft.lines(), currency, errors);
        Set<UUID> products = new LinkedHashSet<>();
        List<UUID> asked = draft.productIds() == null ? List.of() : draft.productIds();
        for (int i = 0; i < asked.size(); i++) {
            if (asked.get(i) == null) {
                errors.add("productIds[" + i + "]", "must not be null");
            } else {
                products.add(asked.get(i));
            }
        }
        if (asked.size() > MAX_PRODUCTS) {
            errors.add("productIds", "at most " + MAX_PRODUCTS);
        }
        lines.forEach(line -> products.add(line.productId()));
        if (products.isEmpty() && errors.isEmpty()) {
            errors.add("productIds", "name at least one product on the order, here or in lines");
        }
        try {
            errors.throwIfAny(CHECK_INVALID, "The coupon check has invalid fields.");
        } catch (DomainException e) {
            return Mono.error(e);
        }
        UUID customerId = draft.customerId() == null && actor.kind() == UserKind.CLIENT ? actor.customerId()
                : draft.customerId();
        TenantId tenant = actor.tenant();
        Instant now = clock.instant();
        return unitOfWork.inTransaction(() -> (customerId == null ? Mono.just(Optional.<UUID>empty())
                        : customers.accessible(actor, customerId).map(customer -> Optional.of(customer.id())))
                .flatMap(customer -> byCode(tenant, code, "code", false).flatMap(coupon -> (customer.isEmpty()
                                ? Mono.just(0) : coupons.redemptionsBy(tenant, coupon.id(), customer.get()))
                        .flatMap(count -> coupon.check(now, currency.getCurrencyCode(), products, count)
                                .map(refusal -> Mono.<Check>error(refused(refusal, "code")))
                                .orElseGet(() -> Mono.just(new Check(coupon, currency, lines,
                                        lines.isEmpty() ? null : coupon.discountFor(lines))))))));
    }

    // --- billing --------------------------------------------------------------------------------------------------

    /**
     * Redeems the coupon with {@code code} (any case) for the customer's order, inside the caller's unit of work.
     *
     * <p>The coupon is locked until the caller's transaction ends, so concurrent orders take turns: the cap on
     * redemptions and the customer's limit hold however many arrive at once. The coupon is checked at {@code at}
     * against the currency and products of the order and the customer's earlier redemptions; a refusal fails with the
     * {@link Refusal}'s error code ({@code coupon.expired}, ... all {@code 422}) pointing at {@code couponCode}, an
     * unknown code with {@code 400 coupon.not_found} on {@code couponCode}, and a subscription that already has a
     * coupon with {@code 409 coupon.subscription_has_coupon}. Otherwise the coupon counts one more redemption, the
     * redemption is recorded with no cycle discounted yet, {@code coupon.redeemed} is published, and the redemption is
     * returned with the coupon (whose {@code discountFor} works out the amounts). All of it rolls back with the
     * caller's transaction.
     *
     * @param productIdsOnOrder the products of the order's lines; the coupon must apply to one of them at least
     * @param subscriptionId the subscription the order creates, whose invoices {@link #discountForCycleInTransaction}
     *        then finds the coupon for; null for an order of no subscription. The row may be inserted later in the same
     *        transaction.
     */
    public Mono<Redemption> redeemInTransaction(TenantId tenant, UUID customerId, String code, Set<UUID> productIdsOnOrder,
            Currency currency, Instant at, UUID subscriptionId) {
        return Mono.defer(() -> {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(code, "code");
            Set<UUID> products = Set.copyOf(productIdsOnOrder);
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(at, "at");
            Mono<Boolean> subscriptionHasCoupon = subscriptionId == null ? Mono.just(false)
                    : coupons.findRedemptionOfSubscription(tenant, subscriptionId).hasElement();
            return unitOfWork.inTransaction(() -> byCode(tenant, code, ORDER_CODE_FIELD, true)
                    .flatMap(coupon -> subscriptionHasCoupon.flatMap(has -> has
                                    ? Mono.error(new DomainException(SUBSCRIPTION_HAS_COUPON, "Subscription "
                                            + subscriptionId + " already has a coupon; a subscription takes one at most."))
                                    : coupons.redemptionsBy(tenant, coupon.id(), customerId))
                            .flatMap(count -> coupon.check(at, currency.getCurrencyCode(), products, count)
                                    .map(refusal -> Mono.<Redemption>error(refused(refusal, ORDER_CODE_FIELD)))
                                    .orElseGet(() -> redeem(coupon, customerId, subscriptionId, at)))));
        });
    }

    /**
     * Whether the code's coupon discounts the product, inside the caller's unit of work; an unknown code is refused as
     * {@link #redeemInTransaction} refuses it. Whether it may be redeemed now is for the redemption to say.
     */
    public Mono<Boolean> appliesInTransaction(TenantId tenant, String code, UUID productId) {
        return byCode(tenant, code, ORDER_CODE_FIELD, false).map(coupon -> coupon.appliesTo(productId));
    }

    private Mono<Redemption> redeem(Coupon coupon, UUID customerId, UUID subscriptionId, Instant at) {
        Redemption redemption = new Redemption(ids.newId(), coupon.tenant(), coupon.redeemed(), customerId,
                subscriptionId, null, at, 0);
        // The lock makes this a formality; the conditional increment is the second wall should a caller forget it.
        return coupons.countRedemption(coupon.tenant(), coupon.id())
                .flatMap(counted -> counted ? coupons.insertRedemption(redemption)
                        : Mono.error(refused(Refusal.EXHAUSTED, ORDER_CODE_FIELD)))
                .flatMap(stored -> events.record(stored.tenant(), new CouponRedeemed(coupon.id(), stored.id(),
                                coupon.code(), customerId, subscriptionId, stored.coupon().redemptions()))
                        .thenReturn(stored));
    }

    /**
     * The redemption whose coupon discounts the subscription's next invoice, inside the caller's unit of work: the one
     * made for the subscription, while its coupon's duration has cycles left ({@code once}: the first invoice;
     * {@code repeating}: the first {@code cycles}; {@code forever}: every one). Empty when the subscription has no
     * coupon or its duration is used up. After issuing the discounted invoice, call {@link #markCycleDiscounted}.
     */
    public Mono<Optional<Redemption>> discountForCycleInTransaction(TenantId tenant, UUID subscriptionId) {
        return unitOfWork.inTransaction(() -> coupons.findRedemptionOfSubscription(Objects.requireNonNull(tenant, "tenant"),
                        Objects.requireNonNull(subscriptionId, "subscriptionId"))
                .filter(Redemption::appliesToNextCycle)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty()));
    }

    /**
     * The redemption made for the subscription, whatever cycles it has left, inside the caller's unit of work: a plan
     * change re-bills periods the coupon may have discounted.
     */
    public Mono<Optional<Redemption>> redemptionOfSubscriptionInTransaction(TenantId tenant, UUID subscriptionId) {
        return unitOfWork.inTransaction(() -> coupons.findRedemptionOfSubscription(Objects.requireNonNull(tenant, "tenant"),
                        Objects.requireNonNull(subscriptionId, "subscriptionId"))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty()));
    }

    /** {@link #markCycleDiscounted(TenantId, UUID, UUID)} without naming the invoice. */
    public Mono<Void> markCycleDiscounted(TenantId tenant, UUID redemptionId) {
        return markCycleDiscounted(tenant, redemptionId, null);
    }

    /**
     * Counts one more invoice discounted by the redemption, inside the caller's unit of work; the first invoice counted
     * is remembered on the redemption. Fails with {@code coupon_redemption.not_found} for an unknown redemption, and
     * with {@code coupon_redemption.no_cycle_left} when the coupon's duration is used up, so a cycle is never counted
     * twice past it.
     *
     * @param invoiceId the invoice that got the discount, or null
     */
    public Mono<Void> markCycleDiscounted(TenantId tenant, UUID redemptionId, UUID invoiceId) {
        return unitOfWork.inTransaction(() -> coupons.findRedemptionForUpdate(Objects.requireNonNull(tenant, "tenant"),
                        Objects.requireNonNull(redemptionId, "redemptionId"))
                .switchIfEmpty(Mono.error(() -> new DomainException(REDEMPTION_NOT_FOUND,
                        "No coupon redemption " + redemptionId + " exists.")))
                .flatMap(current -> {
                    if (!current.appliesToNextCycle()) {
                        return Mono.error(new DomainException(NO_CYCLE_LEFT, "Coupon " + current.coupon().code()
                                + " has discounted all the " + current.cyclesDiscounted() + " cycles it may."));
                    }
                    return coupons.updateCycles(current.cycleDiscounted(invoiceId), current.cyclesDiscounted());
                })
                .flatMap(updated -> updated ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("redemption " + redemptionId + " changed while locked"))));
    }

    // --- rules ----------------------------------------------------------------------------------------------------

    /** The coupon the code names, locked or not; an unknown or malformed code is a field error on {@code field}. */
    private Mono<Coupon> byCode(TenantId tenant, String code, String field, boolean lock) {
        String normalized;
        try {
            normalized = Coupon.normalizeCode(code);
        } catch (IllegalArgumentException e) {
            return Mono.error(codeNotFound(field));
        }
        return (lock ? coupons.findByCodeForUpdate(tenant, normalized) : coupons.findByCode(tenant, normalized))
                .switchIfEmpty(Mono.error(() -> codeNotFound(field)));
    }

    /** The coupon the draft describes, every field checked, products against the tenant's catalog. */
    private Mono<Coupon> validated(TenantId tenant, UUID id, CouponDraft draft, Coupon current) {
        FieldErrors errors = new FieldErrors();
        String code = rule(errors, "code", () -> Coupon.normalizeCode(draft.code()));
        String description = draft.description() == null || draft.description().isBlank() ? null : draft.description().strip();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add("description", "at most " + MAX_DESCRIPTION + " characters");
        }
        Discount discount = discount(draft, errors);
        Coupon.Duration duration = duration(draft, errors);
        List<UUID> productIds = productIds(draft.productIds(), errors);
        if (draft.maxRedemptions() != null && draft.maxRedemptions() < 1) {
            errors.add("maxRedemptions", "at least 1; leave it out for unlimited");
        }
        if (draft.perCustomerLimit() != null && draft.perCustomerLimit() < 1) {
            errors.add("perCustomerLimit", "at least 1; leave it out for unlimited");
        }
        if (draft.validFrom() != null && draft.expiresAt() != null && !draft.expiresAt().isAfter(draft.validFrom())) {
            errors.add("expiresAt", "must be after validFrom");
        }
        Mono<Set<UUID>> known = productIds.isEmpty() ? Mono.just(Set.of())
                : catalog.findProducts(tenant, productIds).map(Product::id).collect(Collectors.toSet());
        return known.flatMap(found -> {
            for (int i = 0; i < productIds.size(); i++) {
                if (!found.contains(productIds.get(i))) {
                    errors.add("productIds[" + i + "]", "no product " + productIds.get(i) + " exists");
                }
            }
            if (!errors.isEmpty()) {
                return Mono.error(errors.toException(INVALID, "The coupon has invalid fields."));
            }
            try {
                return Mono.just(new Coupon(id, tenant, code, description, discount, duration, Set.copyOf(productIds),
                        draft.maxRedemptions(), current == null ? 0 : current.redemptions(), draft.perCustomerLimit(),
                        draft.validFrom(), draft.expiresAt(), draft.active() == null || draft.active(),
                        current == null ? clock.instant() : current.createdAt(), current == null ? 0 : current.version()));
            } catch (IllegalArgumentException e) {
                FieldErrors broken = new FieldErrors();
                broken.addRuleViolation(e, "coupon");
                return Mono.error(broken.toException(INVALID, "The coupon has invalid fields."));
            }
        });
    }

    private static Discount discount(CouponDraft draft, FieldErrors errors) {
        boolean hasAmounts = draft.amounts() != null && !draft.amounts().isEmpty();
        String kind = draft.kind() == null ? null : draft.kind().strip().toLowerCase(Locale.ROOT);
        if (kind == null || kind.isEmpty()) {
            errors.add("kind", "is required: percent or fixed");
            return null;
        }
        return switch (kind) {
            case "percent" -> {
                if (hasAmounts) {
                    errors.add("amounts", "only for fixed coupons");
                }
                yield rule(errors, "percent", () -> new Discount.Percent(decimal(draft.percent())));
            }
            case "fixed" -> {
                if (draft.percent() != null) {
                    errors.add("percent", "only for percent coupons");
                }
                List<Money> amounts = amounts(draft.amounts(), errors);
                yield amounts == null ? null : rule(errors, "amounts", () -> new Discount.FixedAmount(amounts));
            }
            default -> {
                errors.add("kind", "must be percent or fixed");
                yield null;
            }
        };
    }

    /** The amounts by currency code, or null when one is wrong (each is then named). */
    private static List<Money> amounts(List<AmountDraft> drafts, FieldErrors errors) {
        List<AmountDraft> asked = drafts == null ? List.of() : drafts;
        if (asked.isEmpty()) {
            errors.add("amounts", "at least one amount is required for a fixed coupon");
            return null;
        }
        if (asked.size() > MAX_AMOUNTS) {
            errors.add("amounts", "at most " + MAX_AMOUNTS);
            return null;
        }
        List<Money> amounts = new ArrayList<>();
        Set<Currency> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < asked.size(); i++) {
            AmountDraft draft = asked.get(i);
            String at = "amounts[" + i + "]";
            if (draft == null) {
                errors.add(at, "must not be null");
                ok = false;
                continue;
            }
            Currency currency = errors.check(at + ".currency", () -> Money.zero(FieldErrors.required(draft.currency())
                    .toUpperCase(Locale.ROOT)).currency());
            if (currency == null) {
                ok = false;
                continue;
            }
            if (!seen.add(currency)) {
                errors.add(at + ".currency", "more than one amount in " + currency.getCurrencyCode());
                ok = false;
                continue;
            }
            Money amount = errors.check(at + ".amount", () -> positive(Money.parse(FieldErrors.required(draft.amount()),
                    currency.getCurrencyCode())));
            if (amount == null) {
                ok = false;
            } else {
                amounts.add(amount);
            }
        }
        // One order per set of amounts, so a coupon reads back as it was written and compares equal.
        amounts.sort(Comparator.comparing(Money::currencyCode));
        return ok ? amounts : null;
    }

    private static Coupon.Duration duration(CouponDraft draft, FieldErrors errors) {
        String duration = draft.duration() == null ? "once" : draft.duration().strip().toLowerCase(Locale.ROOT);
        Integer cycles = draft.cycles();
        switch (duration) {
            case "once", "forever" -> {
                if (cycles != null) {
                    errors.add("cycles", "only for repeating coupons");
                }
                return "once".equals(duration) ? Coupon.Duration.ONCE : Coupon.Duration.FOREVER;
            }
            case "repeating" -> {
                if (cycles == null) {
                    errors.add("cycles", "is required for a repeating coupon");
                    return null;
                }
                return rule(errors, "cycles", () -> Coupon.Duration.repeating(cycles));
            }
            default -> {
                errors.add("duration", "must be once, repeating or forever");
                return null;
            }
        }
    }

    private static List<UUID> productIds(List<UUID> asked, FieldErrors errors) {
        List<UUID> ids = new ArrayList<>();
        if (asked == null) {
            return ids;
        }
        if (asked.size() > MAX_PRODUCTS) {
            errors.add("productIds", "at most " + MAX_PRODUCTS);
            return ids;
        }
        for (int i = 0; i < asked.size(); i++) {
            UUID id = asked.get(i);
            if (id == null) {
                errors.add("productIds[" + i + "]", "must not be null");
            } else if (ids.contains(id)) {
                errors.add("productIds[" + i + "]", "repeats " + id);
            } else {
                ids.add(id);
            }
        }
        return ids;
    }

    private static List<DiscountableLine> lines(List<LineDraft> drafts, Currency currency, FieldErrors errors) {
        List<LineDraft> asked = drafts == null ? List.of() : drafts;
        if (asked.size() > MAX_LINES) {
            errors.add("lines", "at most " + MAX_LINES);
            return List.of();
        }
        List<DiscountableLine> lines = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            LineDraft line = asked.get(i);
            String at = "lines[" + i + "]";
            if (line == null) {
                errors.add(at, "must not be null");
                continue;
            }
            if (line.productId() == null) {
                errors.add(at + ".productId", "is required");
            }
            Money amount = currency == null ? null : errors.check(at + ".amount", () -> {
                Money parsed = Money.parse(FieldErrors.required(line.amount()), currency.getCurrencyCode());
                if (parsed.isNegative()) {
                    throw new IllegalArgumentException("must not be negative");
                }
                return parsed;
            });
            if (line.productId() != null && amount != null) {
                lines.add(new DiscountableLine(line.productId(), amount));
            }
        }
        return lines;
    }

    /** Whether what redemptions already rely on is unchanged. */
    private static boolean sameTerms(Coupon current, Coupon changed) {
        return current.discount().equals(changed.discount()) && current.duration().equals(changed.duration())
                && current.productIds().equals(changed.productIds());
    }

    private static Coupon withActive(Coupon c, boolean active) {
        return new Coupon(c.id(), c.tenant(), c.code(), c.description(), c.discount(), c.duration(), c.productIds(),
                c.maxRedemptions(), c.redemptions(), c.perCustomerLimit(), c.validFrom(), c.expiresAt(), active,
                c.createdAt(), c.version());
    }

    /** The value, or null after recording the broken rule under the field its message names ("cycles: ..."). */
    private static <T> T rule(FieldErrors errors, String field, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            errors.addRuleViolation(e, field);
            return null;
        }
    }

    private static BigDecimal decimal(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("percent: is required for a percent coupon");
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("percent: '" + value + "' is not a decimal number");
        }
    }

    private static Money positive(Money amount) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return amount;
    }

    /** The wire name of a discount's kind: {@code percent} or {@code fixed}. */
    public static String kind(Discount discount) {
        return switch (discount) {
            case Discount.Percent percent -> "percent";
            case Discount.FixedAmount fixed -> "fixed";
        };
    }

    /** The wire name of a duration: {@code once}, {@code repeating} or {@code forever}. */
    public static String duration(Coupon.Duration duration) {
        return switch (duration) {
            case Coupon.Duration.Once once -> "once";
            case Coupon.Duration.Repeating repeating -> "repeating";
            case Coupon.Duration.Forever forever -> "forever";
        };
    }

    private static Map<String, String> summary(Coupon coupon) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("code", coupon.code());
        summary.put("discount", switch (coupon.discount()) {
            case Discount.Percent percent -> percent.percent().toPlainString() + " %";
            case Discount.FixedAmount fixed -> fixed.amounts().stream().map(Money::toString).collect(Collectors.joining(", "));
        });
        summary.put("duration", coupon.duration() instanceof Coupon.Duration.Repeating repeating
                ? "repeating " + repeating.cycles() : duration(coupon.duration()));
        summary.put("products", Integer.toString(coupon.productIds().size()));
        summary.put("maxRedemptions", coupon.maxRedemptions() == null ? "" : coupon.maxRedemptions().toString());
        summary.put("perCustomerLimit", coupon.perCustomerLimit() == null ? "" : coupon.perCustomerLimit().toString());
        summary.put("validFrom", coupon.validFrom() == null ? "" : coupon.validFrom().toString());
        summary.put("expiresAt", coupon.expiresAt() == null ? "" : coupon.expiresAt().toString());
        summary.put("active", Boolean.toString(coupon.active()));
        return summary;
    }

    private static DomainException refused(Refusal refusal, String field) {
        return new DomainException(refusal.errorCode(), refusal.message(), List.of(new FieldViolation(field, refusal.message())));
    }

    private static DomainException codeNotFound(String field) {
        return new DomainException(CODE_NOT_FOUND, "No coupon has this code.",
                List.of(new FieldViolation(field, "no coupon has this code")));
    }

    private static DomainException codeTaken(String code) {
        return new DomainException(CODE_TAKEN, "Another coupon already has the code " + code + ".",
                List.of(new FieldViolation("code", "is taken by another coupon")));
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No coupon " + id + " exists.");
    }

    private static DomainException stale() {
        return new DomainException(STALE, "The coupon was changed by someone else meanwhile; reload it and try again.");
    }
}
