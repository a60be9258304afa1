package io.hostrail.api.coupon;

import io.hostrail.coupon.model.Coupon;
import io.hostrail.coupon.model.Discount;
import io.hostrail.coupon.model.DiscountableLine;
import io.hostrail.coupon.model.Redemption;
import io.hostrail.coupon.service.CouponService;
import io.hostrail.coupon.service.CouponService.AmountDraft;
import io.hostrail.coupon.service.CouponService.Check;
import io.hostrail.coupon.service.CouponService.CheckDraft;
import io.hostrail.coupon.service.CouponService.CouponDraft;
import io.hostrail.coupon.service.CouponService.Filter;
import io.hostrail.coupon.service.CouponService.LineDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.model.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/coupons")
@Tag(name = "Coupons", description = """
        Discount codes: a percentage of each eligible line, or a fixed amount per currency shared among them, for one
        invoice, a number of billing cycles or for as long as a subscription lasts. Part of the catalog: staff manage
        them with product:read and product:write; anyone who may read subscriptions can check a code at checkout.""")
@SecurityRequirement(name = "bearer")
public class CouponController {

    /**
     * Client users hold product:read for the storefront, but the coupon book is the provider's: a customer checks a
     * code it was given at /validate and never lists the others.
     */
    static final String STAFF_READ = "hasAuthority('product:read') and principal.kind() != "
            + "T(io.hostrail.identity.model.UserKind).CLIENT";


    record AmountBody(@Schema(example = "EUR", description = "ISO 4217") @Size(max = 3) String currency,
            @Schema(example = "5.00", description = "Decimal in major units, more than zero, with no more decimals than the "
                    + "currency has") @Size(max = 24) String amount) {

        AmountDraft draft() {
            return new AmountDraft(currency, amount);
        }

        static AmountBody of(Money money) {
            return new AmountBody(money.currencyCode(), text(money));
        }
    }

    record CouponBody(
            @Schema(example = "WELCOME10", description = "3 to 40 of A-Z, 0-9, - and _; stored upper-case and matched "
                    + "ignoring case; unique in the organisation") @Size(max = 40) String code,
            @Schema(example = "10 % off the first three invoices") @Size(max = 500) String description,
            @Schema(example = "percent", allowableValues = {"percent", "fixed"}) @Size(max = 10) String kind,
            @Schema(example = "10", description = "Percent coupons only: from 0.0001 to 100, at most 4 decimals")
            @Size(max = 24) String percent,
            @Schema(description = "Fixed coupons only: the amount off in each currency the coupon can be used in")
            @Size(max = 50) List<@NotNull @Valid AmountBody> amounts,
            @Schema(example = "repeating", allowableValues = {"repeating", "once", "forever"}, description = """
                    For how many invoices of a subscription: once (the default, the first invoice only), repeating (the \
                    first `cycles` invoices) or forever""") @Size(max = 10) String duration,
            @Schema(example = "3", minimum = "1", maximum = "120", description = "Repeating coupons only") Integer cycles,
            @Schema(description = "The products it applies to; empty or absent for every product")
            @Size(max = 200) List<UUID> productIds,
            @Schema(example = "100", minimum = "1", description = "How often it may be redeemed in all; absent for no limit")
            Integer maxRedemptions,
            @Schema(example = "1", minimum = "1", description = "How often one customer may redeem it; absent for no limit")
            Integer perCustomerLimit,
            @Schema(example = "2026-01-01T00:00:00Z", description = "Usable from this instant; absent for at once")
            Instant validFrom,
            @Schema(example = "2027-01-01T00:00:00Z", description = "Usable until just before this instant; absent for "
                    + "ever; after validFrom") Instant expiresAt,
            @Schema(example = "true", description = "Default true; an inactive coupon cannot be redeemed") Boolean active,
            @Schema(example = "0", description = "Required when updating: the version you read") @PositiveOrZero Long version) {

        CouponDraft draft() {
            return new CouponDraft(code, description, kind, percent,
                    amounts == null ? null : amounts.stream().map(AmountBody::draft).toList(), duration, cycles, productIds,
                    maxRedemptions, perCustomerLimit, validFrom, expiresAt, active);
        }
    }

    record CouponResponse(UUID id, @Schema(example = "WELCOME10") String code, String description,
            @Schema(example = "percent") String kind, @Schema(example = "10") String percent, List<AmountBody> amounts,
            @Schema(example = "repeating") String duration, @Schema(example = "3") Integer cycles, List<UUID> productIds,
            Integer maxRedemptions, @Schema(description = "How often it has been redeemed") int redemptions,
            Integer perCustomerLimit, Instant validFrom, Instant expiresAt, boolean active, Instant createdAt,
            long version) {

        static CouponResponse of(Coupon c) {
            Discount discount = c.discount();
            return new CouponResponse(c.id(), c.code(), c.description(), CouponService.kind(discount),
                    discount instanceof Discount.Percent p ? p.percent().toPlainString() : null,
                    discount instanceof Discount.FixedAmount f ? f.amounts().stream().map(AmountBody::of).toList() : null,
                    CouponService.duration(c.duration()), cyclesOf(c), sorted(c), c.maxRedemptions(), c.redemptions(),
                    c.perCustomerLimit(), c.validFrom(), c.expiresAt(), c.active(), c.createdAt(), c.version());
        }
    }

    record CouponPage(List<CouponResponse> items, String nextCursor) {
    }

    record RedemptionResponse(UUID id, UUID customerId,
            @Schema(description = "The subscription it was redeemed for, if any") UUID subscriptionId,
            @Schema(description = "The first invoice it discounted, once there is one") UUID invoiceId, Instant redeemedAt,
            @Schema(example = "1", description = "How many invoices of the subscription it discounted so far")
            int cyclesDiscounted) {

        static RedemptionResponse of(Redemption r) {
            return new RedemptionResponse(r.id(), r.customerId(), r.subscriptionId(), r.invoiceId(), r.redeemedAt(),
                    r.cyclesDiscounted());
        }
    }

    record RedemptionPage(List<RedemptionResponse> items, String nextCursor) {
    }

    record CheckLineBody(@Schema(description = "The product of the line") UUID productId,
            @Schema(example = "19.90", description = "The line's amount before the discount, in the check's currency")
            @Size(max = 24) String amount) {
    }

    record CheckBody(@Schema(example = "welcome10", description = "As the customer typed it; any case") @Size(max = 100)
            String code,
            @Schema(description = "Staff: the customer ordering (without one its own limit is not checked). Client users: "
                    + "their own customer, which is the default") UUID customerId,
            @Schema(description = "The products on the order; those of lines count too") @Size(max = 200)
            List<UUID> productIds,
            @Schema(example = "EUR", description = "The order's currency") @Size(max = 3) String currency,
            @Schema(description = "Lines to work the discount out on; optional") @Size(max = 200)
            List<@NotNull @Valid CheckLineBody> lines) {

        CheckDraft draft() {
            return new CheckDraft(code, customerId, productIds, currency, lines == null ? null
                    : lines.stream().map(line -> new LineDraft(line.productId(), line.amount())).toList());
        }
    }

    record DiscountLine(UUID productId, @Schema(example = "19.90") String amount,
            @Schema(example = "1.99", description = "Taken off this line; 0 where the coupon does not apply") String discount) {
    }

    record DiscountResponse(List<DiscountLine> lines, @Schema(example = "1.99") String total) {
    }

    record CheckResponse(@Schema(example = "WELCOME10") String code, String description,
            @Schema(example = "percent") String kind, @Schema(example = "10") String percent,
            @Schema(example = "5.00", description = "Fixed coupons: the amount off in the currency") String amount,
            @Schema(example = "EUR") String currency, @Schema(example = "repeating") String duration,
            @Schema(example = "3") Integer cycles,
            @Schema(description = "The products it applies to; empty for every product") List<UUID> productIds,
            Instant expiresAt,
            @Schema(description = "What it takes off the lines sent; absent without lines") DiscountResponse discount) {

        static CheckResponse of(Check check) {
            Coupon c = check.coupon();
            String currency = check.currency().getCurrencyCode();
            String amount = c.discount() instanceof Discount.FixedAmount fixed
                    ? fixed.amountIn(check.currency()).map(CouponController::text).orElse(null) : null;
            DiscountResponse discount = check.discount() == null ? null : new DiscountResponse(IntStream
                    .range(0, check.lines().size())
                    .mapToObj(i -> {
                        DiscountableLine line = check.lines().get(i);
                        return new DiscountLine(line.productId(), text(line.amount()),
                                text(check.discount().lineDiscounts().get(i)));
                    }).toList(), text(check.discount().total()));
            return new CheckResponse(c.code(), c.description(), CouponService.kind(c.discount()),
                    c.discount() instanceof Discount.Percent p ? p.percent().toPlainString() : null, amount, currency,
                    CouponService.duration(c.duration()), cyclesOf(c), sorted(c), c.expiresAt(), discount);
        }
    }

    private final CouponService coupons;

    public CouponController(CouponService coupons) {
        this.coupons = coupons;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('product:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a coupon", description = """
            A percent coupon (`percent`) or a fixed one (`amounts`, one per currency), for once, `cycles` invoices or
            forever, optionally for some products only, with optional limits and validity. Every broken rule is named
            in `errors`; a code the organisation already uses is 409 coupon.code_taken.""")
    public Mono<ResponseEntity<CouponResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody CouponBody body) {
        return coupons.create(actor, body.draft())
                .map(c -> ResponseEntity.created(URI.create("/api/v1/coupons/" + c.id())).body(CouponResponse.of(c)));
    }

    @GetMapping
    @PreAuthorize(STAFF_READ)
    @Operation(summary = "List coupons", description = """
            Oldest first; pass nextCursor as after. Filter by code (any case) and by whether they are active.""")
    public Mono<CouponPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) @Schema(example = "WELCOME10") String code,
            @RequestParam(required = false) Boolean active, @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return coupons.list(actor, new Filter(code, active, after, limit)).map(CouponResponse::of).collectList()
                .map(items -> new CouponPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize(STAFF_READ)
    @Operation(summary = "Get a coupon", description = "With how often it has been redeemed.")
    public Mono<CouponResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return coupons.get(actor, id).map(CouponResponse::of);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('product:write')")
    @Operation(summary = "Change a coupon", description = """
            Send the whole coupon with the version you read. Once it has been redeemed, its kind, percent, amounts,
            duration, cycles and products can no longer change (422 coupon.terms_locked): subscriptions that redeemed
            it keep getting what they were promised. Its code, description, limits, validity and active flag can.""")
    public Mono<CouponResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody CouponBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(CouponService.INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return coupons.update(actor, id, body.draft(), body.version()).map(CouponResponse::of);
    }

    @PostMapping("/{id}/deactivate")
    @PreAuthorize("hasAuthority('product:write')")
    @Operation(summary = "Deactivate a coupon", description = """
            No one can redeem it any more; subscriptions that already did keep their discount for its duration.
            Coupons are never deleted, so their redemptions stay on record. Deactivating an inactive coupon changes
            nothing; a PUT with active true reactivates it.""")
    public Mono<CouponResponse> deactivate(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return coupons.deactivate(actor, id).map(CouponResponse::of);
    }

    @GetMapping("/{id}/redemptions")
    @PreAuthorize(STAFF_READ)
    @Operation(summary = "List a coupon's redemptions", description = "Oldest first; pass nextCursor as after.")
    public Mono<RedemptionPage> redemptions(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @RequestParam(required = false) UUID after, @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return coupons.redemptions(actor, id, after, limit).map(RedemptionResponse::of).collectList()
                .map(items -> new RedemptionPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @PostMapping("/validate")
    @PreAuthorize("hasAuthority('subscription:read')")
    @Operation(summary = "Check a coupon code at checkout", description = """
            Whether the code would be accepted now on an order in the currency with these products, by the customer,
            and what it would take off the lines if some are sent. Records nothing. A refusal is 422 with its code
            (coupon.inactive, coupon.not_yet_valid, coupon.expired, coupon.exhausted, coupon.customer_limit_reached,
            coupon.currency_not_supported, coupon.not_applicable) and a message fit for the customer; an unknown code
            is 400 coupon.not_found. Client users check for their own customer only.""")
    public Mono<CheckResponse> validate(@AuthenticationPrincipal Principal actor, @Valid @RequestBody CheckBody body) {
        return coupons.check(actor, body.draft()).map(CheckResponse::of);
    }

    private static Integer cyclesOf(Coupon coupon) {
        return coupon.duration() instanceof Coupon.Duration.Repeating repeating ? repeating.cycles() : null;
    }

    private static List<UUID> sorted(Coupon coupon) {
        return coupon.productIds().stream().sorted().toList();
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
