package io.hostrail.coupon.model;

import static io.hostrail.coupon.model.CouponFixtures.TENANT;
import static io.hostrail.coupon.model.CouponFixtures.coupon;
import static io.hostrail.coupon.model.CouponFixtures.percent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.hostrail.coupon.model.Coupon.Duration;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedemptionTest {

    private static final UUID CUSTOMER = UUID.fromString("0190a6c0-0000-7000-8000-0000000000b1");
    private static final UUID SUBSCRIPTION = UUID.fromString("0190a6c0-0000-7000-8000-0000000000b2");
    private static final UUID FIRST_INVOICE = UUID.fromString("0190a6c0-0000-7000-8000-0000000000b3");
    private static final UUID SECOND_INVOICE = UUID.fromString("0190a6c0-0000-7000-8000-0000000000b4");
    private static final Instant REDEEMED = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    @DisplayName("a redemption discounts as many cycles as its coupon's duration, and remembers the first invoice")
    void cyclesFollowTheDuration() {
        assertThat(cyclesUntilUsedUp(Duration.ONCE)).isEqualTo(1);
        assertThat(cyclesUntilUsedUp(Duration.repeating(3))).isEqualTo(3);
        Redemption forever = redemption(Duration.FOREVER);
        for (int cycle = 0; cycle < 100; cycle++) {
            forever = forever.cycleDiscounted(cycle == 0 ? FIRST_INVOICE : SECOND_INVOICE);
        }
        assertThat(forever.appliesToNextCycle()).isTrue();
        assertThat(forever.cyclesDiscounted()).isEqualTo(100);
        assertThat(forever.invoiceId()).isEqualTo(FIRST_INVOICE);
    }

    @Test
    @DisplayName("a cycle past the duration is refused rather than counted")
    void noCyclePastTheDuration() {
        Redemption used = redemption(Duration.ONCE).cycleDiscounted(FIRST_INVOICE);
        assertThat(used.appliesToNextCycle()).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> used.cycleDiscounted(SECOND_INVOICE))
                .withMessageStartingWith("cyclesDiscounted:");
        assertThat(redemption(Duration.ONCE).cycleDiscounted(null).invoiceId()).isNull();
    }

    @Test
    @DisplayName("a redemption belongs to its coupon's tenant and never counts below zero")
    void invariants() {
        Coupon coupon = coupon(percent("10")).build();
        assertThatIllegalArgumentException().isThrownBy(() -> new Redemption(UUID.randomUUID(),
                        TenantId.of("0190a6c0-0000-7000-8000-000000000002"), coupon, CUSTOMER, null, null, REDEEMED, 0))
                .withMessageStartingWith("coupon:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Redemption(UUID.randomUUID(), TENANT, coupon, CUSTOMER,
                null, null, REDEEMED, -1)).withMessageStartingWith("cyclesDiscounted:");
    }

    private static int cyclesUntilUsedUp(Duration duration) {
        Redemption redemption = redemption(duration);
        int cycles = 0;
        while (redemption.appliesToNextCycle()) {
            redemption = redemption.cycleDiscounted(cycles == 0 ? FIRST_INVOICE : SECOND_INVOICE);
            cycles++;
        }
        assertThat(redemption.invoiceId()).isEqualTo(FIRST_INVOICE);
        return cycles;
    }

    private static Redemption redemption(Duration duration) {
        return new Redemption(UUID.fromString("0190a6c0-0000-7000-8000-0000000000b0"), TENANT,
                coupon(percent("10")).duration(duration).build(), CUSTOMER, SUBSCRIPTION, null, REDEEMED, 0);
    }
}
