package io.hostrail.coupon.model;

import static io.hostrail.coupon.model.CouponFixtures.coupon;
import static io.hostrail.coupon.model.CouponFixtures.fixed;
import static io.hostrail.coupon.model.CouponFixtures.percent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.hostrail.coupon.model.Coupon.Applied;
import io.hostrail.coupon.model.Coupon.Duration;
import io.hostrail.shared.error.ErrorKind;
import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CouponTest {

    private static final UUID HOSTING = UUID.fromString("0190a6c0-0000-7000-8000-0000000000a1");
    private static final UUID DOMAIN = UUID.fromString("0190a6c0-0000-7000-8000-0000000000a2");
    private static final UUID ADDON = UUID.fromString("0190a6c0-0000-7000-8000-0000000000a3");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    @DisplayName("codes are trimmed and upper-cased; anything but 3 to 40 ASCII letters, digits, - and _ is refused")
    void codes() {
        assertThat(Coupon.normalizeCode("  summer-sale_2026 ")).isEqualTo("SUMMER-SALE_2026");
        assertThat(coupon(percent("10")).code("welcome10").build().code()).isEqualTo("WELCOME10");
        assertThat(Coupon.normalizeCode("A".repeat(40))).hasSize(40);
        for (String invalid : new String[] {null, "", "   ", "AB", "A".repeat(41), "TWO WORDS", "SALE!", "straße", "ÄBC"}) {
            assertThatIllegalArgumentException().as(invalid).isThrownBy(() -> Coupon.normalizeCode(invalid))
                    .withMessageStartingWith("code:");
        }
    }

    @Test
    @DisplayName("a percentage is above 0, at most 100, with at most 4 decimals, and has one form per value")
    void percentBounds() {
        for (String invalid : new String[] {"0", "0.00", "-5", "100.0001", "12.34567"}) {
            assertThatIllegalArgumentException().as(invalid).isThrownBy(() -> percent(invalid))
                    .withMessageStartingWith("percent:");
        }
        assertThat(percent("0.0001")).isEqualTo(new Discount.Percent(new BigDecimal("0.000100")));
        assertThat(percent("100.00")).isEqualTo(percent("1E+2"));
        assertThat(((Discount.Percent) percent("1E+1")).percent().toString()).isEqualTo("10");
        assertThat(((Discount.Percent) percent("12.50")).fraction()).isEqualByComparingTo("0.125");
    }

    @Test
    @DisplayName("a fixed amount is positive, with at most one amount per currency")
    void fixedAmountPerCurrency() {
        Discount.FixedAmount both = (Discount.FixedAmount) fixed("5.00 EUR", "700 JPY");
        assertThat(both.amountIn(java.util.Currency.getInstance("JPY"))).contains(Money.parse("700", "JPY"));
        assertThat(both.supports("EUR")).isTrue();
        assertThat(both.supports("USD")).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> fixed()).withMessageStartingWith("amounts:");
        assertThatIllegalArgumentException().isThrownBy(() -> fixed("0.00 EUR")).withMessageStartingWith("amounts:");
        assertThatIllegalArgumentException().isThrownBy(() -> fixed("-1.00 EUR")).withMessageStartingWith("amounts:");
        assertThatIllegalArgumentException().isThrownBy(() -> fixed("5.00 EUR", "6.00 EUR"))
                .withMessage("amounts: more than one amount in EUR");
    }

    @Test
    @DisplayName("once discounts the first cycle, repeating the first n, forever all of them")
    void durations() {
        Coupon once = coupon(percent("10")).duration(Duration.ONCE).build();
        assertThat(once.appliesToCycle(0)).isTrue();
        assertThat(once.appliesToCycle(1)).isFalse();
        Coupon threeMonths = coupon(percent("10")).duration(Duration.repeating(3)).build();
        assertThat(threeMonths.appliesToCycle(2)).isTrue();
        assertThat(threeMonths.appliesToCycle(3)).isFalse();
        Coupon forever = coupon(percent("10")).duration(Duration.FOREVER).build();
        assertThat(forever.appliesToCycle(10_000)).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> forever.appliesToCycle(-1));
        assertThat(Duration.repeating(1).cycles()).isEqualTo(1);
        assertThat(Duration.repeating(120).cycles()).isEqualTo(120);
        assertThatIllegalArgumentException().isThrownBy(() -> Duration.repeating(0)).withMessage("cycles: from 1 to 120");
        assertThatIllegalArgumentException().isThrownBy(() -> Duration.repeating(121));
    }

    @Test
    @DisplayName("a usable coupon passes the check")
    void usable() {
        Coupon coupon = coupon(fixed("5.00 EUR")).products(HOSTING).redemptions(10, 9).perCustomerLimit(1)
                .valid(NOW, NOW.plusSeconds(1)).build();
        assertThat(coupon.check(NOW, "EUR", Set.of(DOMAIN, HOSTING), 0)).isEmpty();
    }

    @Test
    @DisplayName("each reason a coupon cannot be used is its own refusal")
    void refusals() {
        assertThat(coupon(percent("10")).active(false).build().check(NOW, "EUR", Set.of(HOSTING), 0))
                .contains(Refusal.INACTIVE);
        Coupon window = coupon(percent("10")).valid(NOW, NOW.plusSeconds(60)).build();
        assertThat(window.check(NOW.minusMillis(1), "EUR", Set.of(HOSTING), 0)).contains(Refusal.NOT_YET_VALID);
        assertThat(window.check(NOW.plusSeconds(59), "EUR", Set.of(HOSTING), 0)).isEmpty();
        assertThat(window.check(NOW.plusSeconds(60), "EUR", Set.of(HOSTING), 0)).contains(Refusal.EXPIRED);
        assertThat(coupon(percent("10")).redemptions(5, 5).build().check(NOW, "EUR", Set.of(HOSTING), 0))
                .contains(Refusal.EXHAUSTED);
        Coupon oncePerCustomer = coupon(percent("10")).perCustomerLimit(1).build();
        assertThat(oncePerCustomer.check(NOW, "EUR", Set.of(HOSTING), 1)).contains(Refusal.CUSTOMER_LIMIT_REACHED);
        assertThat(coupon(fixed("5.00 EUR")).build().check(NOW, "USD", Set.of(HOSTING), 0))
                .contains(Refusal.CURRENCY_NOT_SUPPORTED);
        assertThat(coupon(percent("10")).build().check(NOW, "USD", Set.of(HOSTING), 0)).isEmpty();
        Coupon hostingOnly = coupon(percent("10")).products(HOSTING).build();
        assertThat(hostingOnly.check(NOW, "EUR", Set.of(DOMAIN, ADDON), 0)).contains(Refusal.NOT_APPLICABLE);
        assertThat(coupon(percent("10")).build().check(NOW, "EUR", Set.of(), 0)).contains(Refusal.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("the most fundamental refusal is given first, and refusals have stable codes")
    void refusalOrderAndCodes() {
        Coupon hopeless = coupon(fixed("5.00 EUR")).active(false).products(HOSTING).redemptions(1, 1)
                .valid(null, NOW.minusSeconds(1)).build();
        assertThat(hopeless.check(NOW, "USD", Set.of(DOMAIN), 3)).contains(Refusal.INACTIVE);
        assertThat(Arrays.stream(Refusal.values()).map(Refusal::code)).containsExactly("coupon.inactive",
                "coupon.not_yet_valid", "coupon.expired", "coupon.exhausted", "coupon.customer_limit_reached",
                "coupon.currency_not_supported", "coupon.not_applicable");
        assertThat(Refusal.EXPIRED.errorCode().kind()).isEqualTo(ErrorKind.REJECTED);
        assertThat(Refusal.EXPIRED.message()).isNotBlank();
        assertThatIllegalArgumentException().isThrownBy(() -> hopeless.check(NOW, "EUR", Set.of(HOSTING), -1));
    }

    @Test
    @DisplayName("redeeming counts one more use and is refused at the cap; no cap means no limit")
    void redemptions() {
        Coupon twice = coupon(percent("10")).redemptions(2, 0).build();
        Coupon used = twice.redeemed().redeemed();
        assertThat(used.redemptions()).isEqualTo(2);
        assertThat(used.code()).isEqualTo(twice.code());
        assertThatIllegalStateException().isThrownBy(used::redeemed).withMessageStartingWith("redemptions:");
        assertThat(coupon(percent("10")).redemptions(null, 1_000).build().redeemed().redemptions()).isEqualTo(1_001);
        // A cap lowered below the uses so far is allowed: the coupon is then exhausted.
        assertThat(coupon(percent("10")).redemptions(3, 7).build().check(NOW, "EUR", Set.of(HOSTING), 0))
                .contains(Refusal.EXHAUSTED);
    }

    @Test
    @DisplayName("limits are at least 1, counts not negative, and the validity window not empty")
    void invariants() {
        assertThatIllegalArgumentException().isThrownBy(() -> coupon(percent("10")).redemptions(0, 0).build())
                .withMessageStartingWith("maxRedemptions:");
        assertThatIllegalArgumentException().isThrownBy(() -> coupon(percent("10")).redemptions(null, -1).build())
                .withMessageStartingWith("redemptions:");
        assertThatIllegalArgumentException().isThrownBy(() -> coupon(percent("10")).perCustomerLimit(0).build())
                .withMessageStartingWith("perCustomerLimit:");
        assertThatIllegalArgumentException().isThrownBy(() -> coupon(percent("10")).valid(NOW, NOW).build())
                .withMessageStartingWith("expiresAt:");
        Coupon blank = new Coupon(UUID.randomUUID(), CouponFixtures.TENANT, "X-MAS", "  ", percent("5"), Duration.ONCE,
                null, null, 0, null, null, null, true, CouponFixtures.CREATED, 0);
        assertThat(blank.description()).isNull();
        assertThat(blank.productIds()).isEmpty();
    }

    @Test
    @DisplayName("a percentage is taken of each eligible line and rounded half-even there")
    void percentPerLine() {
        Coupon coupon = coupon(percent("15")).products(HOSTING, ADDON).build();
        // 1.5 cents rounds up to 2, 4.5 cents down to 4 (half-even); the domain is not eligible.
        Applied applied = coupon.discountFor(lines("EUR", HOSTING, "0.10", ADDON, "0.30", DOMAIN, "20.00"));
        assertThat(amounts(applied)).containsExactly("0.02", "0.04", "0.00");
        assertThat(applied.total()).isEqualTo(Money.parse("0.06", "EUR"));
        assertThat(amounts(coupon(percent("33.3333")).build().discountFor(lines("JPY", HOSTING, "1000"))))
                .containsExactly("333");
        assertThat(amounts(coupon(percent("100")).build().discountFor(lines("BHD", HOSTING, "1.234"))))
                .containsExactly("1.234");
    }

    @Test
    @DisplayName("a fixed amount is shared among eligible lines by their amounts, without losing a minor unit")
    void fixedShared() {
        Coupon tenOff = coupon(fixed("10.00 EUR", "1.000 BHD")).products(HOSTING, ADDON).build();
        assertThat(amounts(tenOff.discountFor(lines("EUR", HOSTING, "30.00", DOMAIN, "50.00", ADDON, "10.00"))))
                .containsExactly("7.50", "0.00", "2.50");
        assertThat(amounts(tenOff.discountFor(lines("BHD", HOSTING, "0.500", ADDON, "1.500"))))
                .containsExactly("0.250", "0.750");
        Coupon dime = coupon(fixed("0.10 EUR")).build();
        assertThat(amounts(dime.discountFor(lines("EUR", HOSTING, "1.00", ADDON, "1.00", DOMAIN, "1.00"))))
                .containsExactly("0.04", "0.03", "0.03");
    }

    @Test
    @DisplayName("a fixed amount is capped at the eligible subtotal, and nothing is taken off free lines")
    void fixedCapped() {
        Coupon fiftyOff = coupon(fixed("50.00 EUR")).products(HOSTING).build();
        Applied applied = fiftyOff.discountFor(lines("EUR", HOSTING, "30.00", DOMAIN, "40.00", HOSTING, "0.00"));
        assertThat(amounts(applied)).containsExactly("30.00", "0.00", "0.00");
        assertThat(applied.total()).isEqualTo(Money.parse("30.00", "EUR"));
        assertThat(amounts(fiftyOff.discountFor(lines("EUR", HOSTING, "0.00", DOMAIN, "40.00"))))
                .containsExactly("0.00", "0.00");
    }

    @Test
    @DisplayName("no lines, mixed currencies and a currency without a fixed amount are refused")
    void discountRefusals() {
        Coupon euros = coupon(fixed("5.00 EUR")).build();
        assertThatIllegalArgumentException().isThrownBy(() -> euros.discountFor(List.of()))
                .withMessageStartingWith("lines:");
        assertThatIllegalArgumentException().isThrownBy(() -> euros.discountFor(List.of(
                new DiscountableLine(HOSTING, Money.parse("1.00", "EUR")),
                new DiscountableLine(DOMAIN, Money.parse("1.00", "USD"))))).withMessage("lines: every line must be in EUR");
        assertThatIllegalArgumentException().isThrownBy(() -> euros.discountFor(lines("USD", HOSTING, "1.00")))
                .withMessageStartingWith("lines:");
        assertThatIllegalArgumentException().isThrownBy(() -> new DiscountableLine(HOSTING, Money.parse("-0.01", "EUR")))
                .withMessageStartingWith("amount:");
    }

    /** Lines from alternating product ids and amounts. */
    private static List<DiscountableLine> lines(String currency, Object... productsAndAmounts) {
        DiscountableLine[] lines = new DiscountableLine[productsAndAmounts.length / 2];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = new DiscountableLine((UUID) productsAndAmounts[2 * i],
                    Money.parse((String) productsAndAmounts[2 * i + 1], currency));
        }
        return List.of(lines);
    }

    private static List<String> amounts(Applied applied) {
        return applied.lineDiscounts().stream().map(money -> money.toMajorUnits().toPlainString()).toList();
    }
}
