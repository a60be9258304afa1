package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentAttempt;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where payment attempts are kept. */
public interface PaymentAttempts {

    record Query(UUID invoiceId, UUID customerId, PaymentAttempt.Status status, UUID afterId, int limit) {
    }

    Mono<PaymentAttempt> insert(PaymentAttempt attempt);

    /** Saves where the attempt stands if it still has {@code expectedVersion}; empty when it changed meanwhile. */
    Mono<PaymentAttempt> update(PaymentAttempt attempt, long expectedVersion);

    Mono<PaymentAttempt> find(TenantId tenant, UUID id);

    /** The attempt, locked until the caller's transaction ends. */
    Mono<PaymentAttempt> lock(TenantId tenant, UUID id);

    /** The newest open checkout attempt of the invoice through the provider that the payer can still finish. */
    Mono<PaymentAttempt> openCheckout(TenantId tenant, UUID invoiceId, Payment.Provider provider);

    /** The invoice's off-session attempt still open, if one is. */
    Mono<PaymentAttempt> openOffSession(TenantId tenant, UUID invoiceId);

    /**
     * Takes up to {@code limit} open attempts due a check at {@code now}, each counted as checked once more and not due
     * again for {@code lease}, so another instance does not take it meanwhile; committed by the caller's transaction.
     */
    Flux<PaymentAttempt> claimDue(TenantId tenant, Instant now, Duration lease, int limit);

    /** In id order after {@code afterId}. */
    Flux<PaymentAttempt> list(TenantId tenant, Query query);
}
