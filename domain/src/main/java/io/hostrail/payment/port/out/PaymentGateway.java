package io.hostrail.payment.port.out;

import io.hostrail.payment.model.ChargeRequest;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.PaymentOutcome;
import io.hostrail.payment.model.RefundOutcome;
import io.hostrail.payment.model.RefundRequest;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * A payment provider, acting for one tenant's account at a time. Its calls do not fail: whatever the provider could not
 * answer is an {@code Unknown} outcome, and the caller reconciles it with {@link #lookup}. Every call that moves money
 * carries an idempotency key derived from our id, so repeating one (after an {@code Unknown}) is always safe.
 *
 * <p>An account of another provider, or a request the provider cannot take (an amount its currency rules refuse), is a
 * programming error: the {@code Mono} fails with {@link IllegalArgumentException} before any call.
 */
public interface PaymentGateway {

    /** {@code stripe}, {@code paypal}: as {@link GatewayAccount#provider()} names it. */
    String provider();

    /**
     * Takes a payment, or starts one the payer finishes: off-session it succeeds or is declined; on-session it is
     * {@code Pending} with what the payer's browser needs (Stripe's client secret, PayPal's approval URL).
     */
    Mono<PaymentOutcome> charge(GatewayAccount account, ChargeRequest request);

    /**
     * Finishes a payment the payer has approved or confirmed: captures a PayPal order; for Stripe, whose confirmation
     * happens in the payer's browser, reads where the PaymentIntent stands. Safe to repeat.
     *
     * @param reference the {@code Pending} outcome's reference
     */
    Mono<PaymentOutcome> complete(GatewayAccount account, UUID attemptId, String reference);

    /**
     * Where a payment stands now, for reconciling an {@code Unknown} or a {@code Pending}. Reads only.
     *
     * @param reference the provider's payment as an earlier outcome gave it; null when no answer ever gave one, and the
     *                  adapter looks for the attempt by its id
     * @return empty if the provider has no payment for the attempt: nothing was charged. (Stripe's search by attempt id
     *         may lag the charge by up to a minute; a caller asks again before concluding from an empty answer soon
     *         after the attempt.)
     */
    Mono<PaymentOutcome> lookup(GatewayAccount account, UUID attemptId, String reference);

    /** Gives back all or part of a payment. */
    Mono<RefundOutcome> refund(GatewayAccount account, RefundRequest request);
}
