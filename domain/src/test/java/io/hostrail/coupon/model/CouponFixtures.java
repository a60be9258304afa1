package io.hostrail.coupon.model;

import io.hostrail.coupon.model.Coupon.Duration;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/** Coupons for tests: an active, unrestricted, unlimited one-off coupon, changed one field at a time. */
final class CouponFixtures {

    static final TenantId TENANT = TenantId.of("0190a6c0-0000-7000-8000-000000000001");
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private CouponFixtures() {
    }

    static Discount percent(String percent) {
        return new Discount.Percent(new BigDecimal(percent));
    }

    static Discount fixed(String... amountsAndCurrencies) {
        return new Discount.FixedAmount(Arrays.stream(amountsAndCurrencies)
                .map(pair -> pair.split(" "))
                .map(pair -> Money.parse(pair[0], pair[1]))
                .toList());
    }

    static Builder coupon(Discount discount) {
        return new Builder(discount);
    }

    static final class Builder {

        private final Discount discount;
        private String code = "WELCOME10";
        private Duration duration = Duration.ONCE;
        private Set<UUID> productIds = Set.of();
        private Integer maxRedemptions;
        private int redemptions;
        private Integer perCustomerLimit;
        private Instant validFrom;
        private Instant expiresAt;
        private boolean active = true;

        private Builder(Discount discount) {
            this.discount = discount;
        }

        Builder code(String code) {
            this.code = code;
            return this;
        }

        Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        Builder products(UUID... productIds) {
            this.productIds = Set.of(productIds);
            return this;
        }

        Builder products(Set<UUID> productIds) {
            this.productIds = productIds;
            return this;
        }

        Builder redemptions(Integer maxRedemptions, int redemptions) {
            this.maxRedemptions = maxRedemptions;
            this.redemptions = redemptions;
            return this;
        }

        Builder perCustomerLimit(Integer perCustomerLimit) {
            this.perCustomerLimit = perCustomerLimit;
            return this;
        }

        Builder valid(Instant validFrom, Instant expiresAt) {
            this.validFrom = validFrom;
            this.expiresAt = expiresAt;
            return this;
        }

        Builder active(boolean active) {
            this.active = active;
            return this;
        }

        Coupon build() {
            return new Coupon(UUID.fromString("0190a6c0-0000-7000-8000-0000000000c0"), TENANT, code, "test coupon",
                    discount, duration, productIds, maxRedemptions, redemptions, perCustomerLimit, validFrom, expiresAt,
                    active, CREATED, 0);
        }
    }
}
