package io.hostrail.coupon.model;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One use of a coupon by a customer, on an order and, when the order is a subscription, on as many of its invoices as
 * the coupon's duration allows. It carries the coupon as it is now, so billing can work out the discount; a coupon
 * deactivated or expired after it was redeemed still applies for its duration, since that is what the customer was
 * promised at checkout.
 *
 * @param subscriptionId the subscription it was redeemed for, or null for an order of no subscription
 * @param invoiceId the first invoice the discount was given on, null until then
 * @param cyclesDiscounted how many invoices of the subscription got the discount so far
 */
public record Redemption(UUID id, TenantId tenant, Coupon coupon, UUID customerId, UUID subscriptionId, UUID invoiceId,
        Instant redeemedAt, int cyclesDiscounted) {

    public Redemption {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(coupon, "coupon");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(redeemedAt, "redeemedAt");
        if (!coupon.tenant().equals(tenant)) {
            throw new IllegalArgumentException("coupon: belongs to another tenant");
        }
        if (cyclesDiscounted < 0) {
            throw new IllegalArgumentException("cyclesDiscounted: must not be negative");
        }
    }

    /** Whether the next invoice of the subscription gets the discount. */
    public boolean appliesToNextCycle() {
        return coupon.appliesToCycle(cyclesDiscounted);
    }

    /**
     * A copy counting one more discounted invoice; the first one is remembered as {@link #invoiceId}. Refused once the
     * duration is used up, as {@link #appliesToNextCycle} would have said.
     */
    public Redemption cycleDiscounted(UUID invoice) {
        if (!appliesToNextCycle()) {
            throw new IllegalStateException("cyclesDiscounted: the coupon's duration is used up after " + cyclesDiscounted
                    + " cycles");
        }
        return new Redemption(id, tenant, coupon, customerId, subscriptionId, invoiceId == null ? invoice : invoiceId,
                redeemedAt, Math.addExact(cyclesDiscounted, 1));
    }
}
