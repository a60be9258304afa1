package io.hostrail.coupon.model;

import static io.hostrail.coupon.model.CouponFixtures.coupon;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.coupon.model.Coupon.Applied;
import io.hostrail.coupon.model.Coupon.Duration;
import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * What must hold for any lines, currency, discount and product restriction: discounts are never negative, never more
 * than a line, only on eligible lines, and add up.
 */
class CouponProperties {

    private static final List<UUID> PRODUCTS = IntStream.rangeClosed(1, 5)
            .mapToObj(i -> UUID.fromString("0190a6c0-0000-7000-8000-00000000000" + i)).toList();

    @Property(tries = 1000)
    void discountsAreBoundedAndAddUp(@ForAll("lines") List<DiscountableLine> lines, @ForAll("discounts") Discount discount,
            @ForAll("restrictions") Set<UUID> productIds) {
        Coupon coupon = coupon(withLineCurrency(discount, lines)).products(productIds).build();
        Applied applied = coupon.discountFor(lines);

        assertThat(applied.lineDiscounts()).hasSameSizeAs(lines);
        Money zero = Money.zero(lines.getFirst().amount().currency());
        assertThat(applied.lineDiscounts().stream().reduce(zero, Money::plus)).isEqualTo(applied.total());
        for (int i = 0; i < lines.size(); i++) {
            DiscountableLine line = lines.get(i);
            Money lineDiscount = applied.lineDiscounts().get(i);
            assertThat(lineDiscount.isNegative()).isFalse();
            assertThat(lineDiscount).isLessThanOrEqualTo(line.amount());
            if (!coupon.appliesTo(line.productId())) {
                assertThat(lineDiscount).isEqualTo(zero);
            }
        }
        assertThat(applied.total()).isLessThanOrEqualTo(eligibleSubtotal(coupon, lines));
    }

    @Property(tries = 1000)
    void fixedDiscountIsTheAmountCappedAtTheEligibleSubtotal(@ForAll("lines") List<DiscountableLine> lines,
            @ForAll("restrictions") Set<UUID> productIds, @ForAll("fixedMinor") long fixedMinor) {
        Currency currency = lines.getFirst().amount().currency();
        Money fixed = new Money(fixedMinor, currency);
        Coupon coupon = coupon(new Discount.FixedAmount(List.of(Money.parse("1.00", "USD"), fixed)))
                .products(productIds).build();
        Money subtotal = eligibleSubtotal(coupon, lines);

        assertThat(coupon.discountFor(lines).total()).isEqualTo(fixed.compareTo(subtotal) < 0 ? fixed : subtotal);
    }

    @Property(tries = 1000)
    void percentDiscountIsTheExactPercentageRoundedPerLine(@ForAll("lines") List<DiscountableLine> lines,
            @ForAll("percents") BigDecimal percent, @ForAll("restrictions") Set<UUID> productIds) {
        Coupon coupon = coupon(new Discount.Percent(percent)).products(productIds).build();
        Applied applied = coupon.discountFor(lines);
        BigDecimal fraction = percent.movePointLeft(2);

        BigDecimal exactTotal = BigDecimal.ZERO;
        int eligibleLines = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (coupon.appliesTo(lines.get(i).productId())) {
                BigDecimal exact = BigDecimal.valueOf(lines.get(i).amount().minorUnits()).multiply(fraction);
                BigDecimal given = BigDecimal.valueOf(applied.lineDiscounts().get(i).minorUnits());
                assertThat(given.subtract(exact).abs()).isLessThanOrEqualTo(new BigDecimal("0.5"));
                exactTotal = exactTotal.add(exact);
                eligibleLines++;
            }
        }
        assertThat(BigDecimal.valueOf(applied.total().minorUnits()).subtract(exactTotal).abs())
                .isLessThanOrEqualTo(BigDecimal.valueOf(eligibleLines));
    }

    @Property(tries = 200)
    void durationsDiscountTheirNumberOfCycles(@ForAll @IntRange(min = 1, max = 120) int cycles) {
        assertThat(countDiscountedCycles(coupon(CouponFixtures.percent("10")).duration(Duration.repeating(cycles)).build()))
                .isEqualTo(cycles);
        assertThat(countDiscountedCycles(coupon(CouponFixtures.percent("10")).build())).isEqualTo(1);
        assertThat(countDiscountedCycles(coupon(CouponFixtures.percent("10")).duration(Duration.FOREVER).build()))
                .isEqualTo(200);
    }

    @Property(tries = 200)
    void redeemingStopsExactlyAtTheCap(@ForAll @IntRange(min = 1, max = 50) int max,
            @ForAll @IntRange(min = 0, max = 60) int used) {
        Coupon coupon = coupon(CouponFixtures.percent("10")).redemptions(max, used).build();
        while (coupon.check(CouponFixtures.CREATED, "EUR", Set.copyOf(PRODUCTS), 0).isEmpty()) {
            coupon = coupon.redeemed();
        }
        assertThat(coupon.redemptions()).isEqualTo(Math.max(max, used));
    }

    private static long countDiscountedCycles(Coupon coupon) {
        return IntStream.range(0, 200).filter(coupon::appliesToCycle).count();
    }

    private static Money eligibleSubtotal(Coupon coupon, List<DiscountableLine> lines) {
        return lines.stream().filter(line -> coupon.appliesTo(line.productId())).map(DiscountableLine::amount)
                .reduce(Money.zero(lines.getFirst().amount().currency()), Money::plus);
    }

    /** A generated fixed discount is stated in EUR; restate it in the lines' currency so the coupon can be used. */
    private static Discount withLineCurrency(Discount discount, List<DiscountableLine> lines) {
        return switch (discount) {
            case Discount.Percent percent -> percent;
            case Discount.FixedAmount fixed -> new Discount.FixedAmount(List.of(
                    new Money(fixed.amounts().getFirst().minorUnits(), lines.getFirst().amount().currency())));
        };
    }

    @Provide
    Arbitrary<List<DiscountableLine>> lines() {
        Arbitrary<Long> minor = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(0, 1_000)),
                Tuple.of(6, Arbitraries.longs().between(0, 1_000_000_000L)));
        return Arbitraries.of("JPY", "BHD", "EUR").map(Currency::getInstance).flatMap(currency ->
                Combinators.combine(Arbitraries.of(PRODUCTS), minor)
                        .as((product, amount) -> new DiscountableLine(product, new Money(amount, currency)))
                        .list().ofMinSize(1).ofMaxSize(20));
    }

    @Provide
    Arbitrary<Set<UUID>> restrictions() {
        return Arbitraries.subsetOf(PRODUCTS);
    }

    @Provide
    Arbitrary<BigDecimal> percents() {
        return Arbitraries.bigDecimals().between(new BigDecimal("0.0001"), new BigDecimal("100")).ofScale(4);
    }

    @Provide
    Arbitrary<Long> fixedMinor() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 10_000), Arbitraries.longs().between(1, 30_000_000_000L));
    }

    @Provide
    Arbitrary<Discount> discounts() {
        return Arbitraries.oneOf(percents().map(Discount.Percent::new),
                fixedMinor().map(minor -> new Discount.FixedAmount(List.of(new Money(minor, Currency.getInstance("EUR"))))));
    }
}
