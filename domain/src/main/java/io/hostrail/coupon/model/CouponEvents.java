package io.hostrail.coupon.model;

import io.hostrail.shared.event.DomainEvent;
import java.util.UUID;

/** What happens to coupons, as published through the outbox. */
public final class CouponEvents {

    private CouponEvents() {
    }

    public record CouponCreated(UUID aggregateId, String code, String kind, String duration) implements DomainEvent {

        @Override
        public String type() {
            return "coupon.created";
        }
    }

    public record CouponUpdated(UUID aggregateId, String code, boolean active, long couponVersion) implements DomainEvent {

        @Override
        public String type() {
            return "coupon.updated";
        }
    }

    public record CouponDeactivated(UUID aggregateId, String code, long couponVersion) implements DomainEvent {

        @Override
        public String type() {
            return "coupon.deactivated";
        }
    }

    /** {@code redemptions} counts this one; {@code subscriptionId} is null for an order of no subscription. */
    public record CouponRedeemed(UUID aggregateId, UUID redemptionId, String code, UUID customerId, UUID subscriptionId,
            int redemptions) implements DomainEvent {

        @Override
        public String type() {
            return "coupon.redeemed";
        }
    }
}
