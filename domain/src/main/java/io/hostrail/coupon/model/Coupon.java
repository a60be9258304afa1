package io.hostrail.coupon.model;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * A discount code a tenant hands out: what it takes off, for how many billing cycles, on which products, how often it
 * may be redeemed and when.
 *
 * <p>{@link #check} says whether it may be used on an order; {@link #discountFor} then works out the amounts, to the
 * minor unit. An empty {@code productIds} means every product. {@code validFrom} is inclusive and {@code expiresAt}
 * exclusive. {@code redemptions} may exceed {@code maxRedemptions}, so a tenant can lower the cap below the uses so
 * far; the coupon is then simply exhausted.
 */
public record Coupon(UUID id, TenantId tenant, String code, String description, Discount discount, Duration duration,
        Set<UUID> productIds, Integer maxRedemptions, int redemptions, Integer perCustomerLimit, Instant validFrom,
        Instant expiresAt, boolean active, Instant createdAt, long version) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{3,40}");
    private static final int MAX_DESCRIPTION = 500;

    /** For how many billing cycles of a subscription the discount is given. */
    public sealed interface Duration {

        Duration ONCE = new Once();
        Duration FOREVER = new Forever();

        static Repeating repeating(int cycles) {
            return new Repeating(cycles);
        }

        /** Only the first invoice. */
        record Once() implements Duration {
        }

        /** Every invoice, as long as the subscription lasts. */
        record Forever() implements Duration {
        }

        /** The first {@code cycles} invoices; ten years of monthly cycles at most. */
        record Repeating(int cycles) implements Duration {

            public static final int MAX_CYCLES = 120;

            public Repeating {
                if (cycles < 1 || cycles > MAX_CYCLES) {
                    throw new IllegalArgumentException("cycles: from 1 to " + MAX_CYCLES);
                }
            }
        }
    }

    /** The discount on each line, in the order of the lines (zero where the coupon does not apply), and their sum. */
    public record Applied(List<Money> lineDiscounts, Money total) {

        public Applied {
            lineDiscounts = List.copyOf(lineDiscounts);
            Objects.requireNonNull(total, "total");
            if (!lineDiscounts.stream().reduce(Money.zero(total.currency()), Money::plus).equals(total)) {
                throw new IllegalArgumentException("total: must be the sum of the line discounts");
            }
        }
    }

    public Coupon {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(discount, "discount");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(createdAt, "createdAt");
        code = normalizeCode(code);
        description = description == null || description.isBlank() ? null : description.strip();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description: at most " + MAX_DESCRIPTION + " characters");
        }
        productIds = productIds == null ? Set.of() : Set.copyOf(productIds);
        if (maxRedemptions != null && maxRedemptions < 1) {
            throw new IllegalArgumentException("maxRedemptions: at least 1, or none for unlimited");
        }
        if (redemptions < 0) {
            throw new IllegalArgumentException("redemptions: must not be negative");
        }
        if (perCustomerLimit != null && perCustomerLimit < 1) {
            throw new IllegalArgumentException("perCustomerLimit: at least 1, or none for unlimited");
        }
        if (validFrom != null && expiresAt != null && !expiresAt.isAfter(validFrom)) {
            throw new IllegalArgumentException("expiresAt: must be after validFrom");
        }
    }

    /**
     * The code as stored and compared: trimmed and upper-case, so customers may type it in any case. Only ASCII letters
     * are accepted, checked before upper-casing, since "ß" would otherwise become "SS".
     */
    public static String normalizeCode(String code) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("code: is required");
        }
        String stripped = code.strip();
        if (!CODE.matcher(stripped).matches()) {
            throw new IllegalArgumentException("code: 3 to 40 characters of A-Z, 0-9, - and _");
        }
        return stripped.toUpperCase(Locale.ROOT);
    }

    /**
     * Why the coupon cannot be used at {@code at} on an order in {@code currency} with these products, by a customer who
     * has redeemed it {@code customerRedemptions} times already; empty when it can. The first reason in the order of
     * {@link Refusal} is given.
     */
    public Optional<Refusal> check(Instant at, String currency, Set<UUID> productIdsOnOrder, int customerRedemptions) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(productIdsOnOrder, "productIdsOnOrder");
        if (customerRedemptions < 0) {
            throw new IllegalArgumentException("customerRedemptions: must not be negative");
        }
        if (!active) {
            return Optional.of(Refusal.INACTIVE);
        }
        if (validFrom != null && at.isBefore(validFrom)) {
            return Optional.of(Refusal.NOT_YET_VALID);
        }
        if (expiresAt != null && !at.isBefore(expiresAt)) {
            return Optional.of(Refusal.EXPIRED);
        }
        if (isExhausted()) {
            return Optional.of(Refusal.EXHAUSTED);
        }
        if (perCustomerLimit != null && customerRedemptions >= perCustomerLimit) {
            return Optional.of(Refusal.CUSTOMER_LIMIT_REACHED);
        }
        if (!discount.supports(currency)) {
            return Optional.of(Refusal.CURRENCY_NOT_SUPPORTED);
        }
        if (productIdsOnOrder.stream().noneMatch(this::appliesTo)) {
            return Optional.of(Refusal.NOT_APPLICABLE);
        }
        return Optional.empty();
    }

    public boolean appliesTo(UUID productId) {
        return productIds.isEmpty() || productIds.contains(productId);
    }

    /** A copy counting one more redemption; refused once the cap is reached, as {@link #check} would have said. */
    public Coupon redeemed() {
        if (isExhausted()) {
            throw new IllegalStateException("redemptions: already " + redemptions + " of at most " + maxRedemptions);
        }
        return new Coupon(id, tenant, code, description, discount, duration, productIds, maxRedemptions,
                Math.addExact(redemptions, 1), perCustomerLimit, validFrom, expiresAt, active, createdAt, version);
    }

    /** Whether an invoice of a subscription gets the discount, given how many of its invoices already did. */
    public boolean appliesToCycle(int cyclesAlreadyDiscounted) {
        if (cyclesAlreadyDiscounted < 0) {
            throw new IllegalArgumentException("cyclesAlreadyDiscounted: must not be negative");
        }
        return switch (duration) {
            case Duration.Once once -> cyclesAlreadyDiscounted == 0;
            case Duration.Repeating repeating -> cyclesAlreadyDiscounted < repeating.cycles();
            case Duration.Forever forever -> true;
        };
    }

    /**
     * The discount on each line. Only lines of eligible products are discounted, and none by more than its amount.
     * A percentage is taken of each line and rounded half-even there; a fixed amount is capped at the eligible
     * subtotal and shared among the eligible lines in proportion to their amounts, without losing a minor unit.
     *
     * <p>Whether the coupon may be used at all is {@link #check}'s business; this only does the arithmetic.
     *
     * @param lines at least one, all in one currency, which a fixed-amount coupon must have an amount in
     */
    public Applied discountFor(List<DiscountableLine> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("lines: at least one line is required");
        }
        Currency currency = lines.getFirst().amount().currency();
        if (lines.stream().anyMatch(line -> !line.amount().currency().equals(currency))) {
            throw new IllegalArgumentException("lines: every line must be in " + currency.getCurrencyCode());
        }
        long[] eligible = lines.stream()
                .mapToLong(line -> appliesTo(line.productId()) ? line.amount().minorUnits() : 0)
                .toArray();
        List<Money> discounts = switch (discount) {
            case Discount.Percent percent -> LongStream.of(eligible)
                    .mapToObj(minor -> new Money(minor, currency).times(percent.fraction(), Money.DEFAULT_ROUNDING))
                    .toList();
            case Discount.FixedAmount fixed -> share(fixed.amountIn(currency).orElseThrow(() ->
                    new IllegalArgumentException("lines: the coupon has no fixed amount in " + currency.getCurrencyCode())),
                    eligible);
        };
        return new Applied(discounts, discounts.stream().reduce(Money.zero(currency), Money::plus));
    }

    /** The fixed amount, capped at the eligible subtotal, shared by the eligible amounts; zero when they are all zero. */
    private static List<Money> share(Money fixed, long[] eligible) {
        Money subtotal = new Money(LongStream.of(eligible).reduce(0, Math::addExact), fixed.currency());
        Money capped = fixed.compareTo(subtotal) < 0 ? fixed : subtotal;
        if (capped.isZero()) {
            return Collections.nCopies(eligible.length, capped);
        }
        // Lines of zero weight get nothing: allocate hands leftover units only to parts with a remainder.
        return List.of(capped.allocate(eligible));
    }

    private boolean isExhausted() {
        return maxRedemptions != null && redemptions >= maxRedemptions;
    }
}
