package io.hostrail.coupon.port.out;

import io.hostrail.coupon.model.Coupon;
import io.hostrail.coupon.model.Redemption;
import io.hostrail.shared.model.TenantId;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tenant's coupons, with their amounts and products, and the record of their redemptions. Methods that lock do so
 * until the caller's transaction ends.
 */
public interface Coupons {

    /** Filters for listing; null means any. {@code code} is already normalized. */
    record Query(String code, Boolean active, UUID afterId, int limit) {
    }

    /** The tenant already has a coupon with this code (codes are unique per tenant, ignoring case). */
    final class CodeTaken extends RuntimeException {

        public CodeTaken(String code) {
            super("code " + code + " is taken", null, false, false);
        }
    }

    /** Fails with {@link CodeTaken} when the code is taken. */
    Mono<Coupon> create(Coupon coupon);

    Mono<Coupon> find(TenantId tenant, UUID id);

    /** {@link #find}, locked: redemptions and changes of one coupon take turns. */
    Mono<Coupon> findForUpdate(TenantId tenant, UUID id);

    Mono<Coupon> findByCode(TenantId tenant, String code);

    /** {@link #findByCode}, locked: redemptions and changes of one coupon take turns. */
    Mono<Coupon> findByCodeForUpdate(TenantId tenant, String code);

    /** In id order after {@code afterId}. */
    Flux<Coupon> list(TenantId tenant, Query query);

    /**
     * Stores what staff change, never the count of redemptions; empty when {@code expectedVersion} no longer holds, and
     * {@link CodeTaken} when the new code is another coupon's.
     */
    Mono<Coupon> update(Coupon coupon, long expectedVersion);

    /** Counts one more redemption unless the cap is reached: false, with nothing changed, then. */
    Mono<Boolean> countRedemption(TenantId tenant, UUID couponId);

    /** How often the customer has redeemed the coupon. */
    Mono<Integer> redemptionsBy(TenantId tenant, UUID couponId, UUID customerId);

    Mono<Redemption> insertRedemption(Redemption redemption);

    /** The redemption with its coupon, locked. */
    Mono<Redemption> findRedemptionForUpdate(TenantId tenant, UUID redemptionId);

    /** The redemption made for the subscription, with its coupon; a subscription has one at most. */
    Mono<Redemption> findRedemptionOfSubscription(TenantId tenant, UUID subscriptionId);

    /** Stores the cycles counted and the invoice if the redemption still has {@code expectedCycles}; false otherwise. */
    Mono<Boolean> updateCycles(Redemption redemption, int expectedCycles);

    /** The coupon's redemptions in id order after {@code afterId}, each carrying {@code coupon}. */
    Flux<Redemption> listRedemptions(Coupon coupon, UUID afterId, int limit);
}
