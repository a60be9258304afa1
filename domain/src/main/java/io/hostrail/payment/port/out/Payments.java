package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentRefund;
import io.hostrail.shared.model.TenantId;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where payments and their refunds are kept. */
public interface Payments {

    record Query(UUID customerId, UUID invoiceId, UUID afterId, int limit) {
    }

    Mono<Payment> insert(Payment payment);

    /** Saves the payment if it still has {@code expectedVersion}; empty when someone changed it meanwhile. */
    Mono<Payment> update(Payment payment, long expectedVersion);

    Mono<Payment> find(TenantId tenant, UUID id);

    /** The provider's payment with this id, if it was recorded. */
    Mono<Payment> findByReference(TenantId tenant, Payment.Provider provider, String reference);

    /** Newest last, in id order after {@code afterId}. */
    Flux<Payment> list(TenantId tenant, Query query);

    Mono<PaymentRefund> insertRefund(PaymentRefund refund);

    /** The provider's refund with this id, if it was recorded. */
    Mono<PaymentRefund> findRefundByReference(TenantId tenant, Payment.Provider provider, String reference);

    /** A payment's refunds, oldest first. */
    Flux<PaymentRefund> refunds(TenantId tenant, UUID paymentId);
}
