package io.hostrail.payment.service;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.RefundOutcome;
import io.hostrail.payment.model.RefundRequest;
import io.hostrail.payment.service.PaymentService.ProviderRefund;
import io.hostrail.payment.service.PaymentService.RefundDraft;
import io.hostrail.payment.service.PaymentService.RefundPlan;
import io.hostrail.payment.service.PaymentService.Refunded;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.ErrorKind;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Refunds staff ask for: a payment recorded by hand is refunded by hand; a Stripe or PayPal payment through its
 * provider. That is checked first, then the provider is called outside any transaction, then what it did is recorded
 * in one transaction, keyed by the provider's refund id, so the provider's webhook for the same refund changes
 * nothing. A refund the provider declined records nothing; one whose outcome is unknown records nothing now and is
 * recorded when the provider's refund webhook reports it (the adapters' retries reuse our refund id as the provider's
 * idempotency key, so they never refund twice; a new request is a new refund). A pending refund is recorded: the provider has accepted it and the money is committed to go back.
 */
public final class ProviderRefundService {

    public static final ErrorCode DECLINED = ErrorCode.rejected("payment.refund_declined");
    public static final ErrorCode OUTCOME_UNKNOWN = new ErrorCode("payment.refund_outcome_unknown",
            ErrorKind.UNAVAILABLE);

    private final PaymentService payments;
    private final PaymentProviderService providers;
    private final IdGenerator ids;

    public ProviderRefundService(PaymentService payments, PaymentProviderService providers, IdGenerator ids) {
        this.payments = payments;
        this.providers = providers;
        this.ids = ids;
    }

    public Mono<Refunded> refund(Principal actor, UUID paymentId, RefundDraft draft) {
        return payments.get(actor, paymentId).flatMap(seen -> seen.provider() == Payment.Provider.MANUAL
                ? payments.refund(actor, paymentId, draft)
                : payments.planProviderRefund(actor, paymentId, draft).flatMap(plan -> throughProvider(actor, plan)));
    }

    private Mono<Refunded> throughProvider(Principal actor, RefundPlan plan) {
        Payment payment = plan.payment();
        String name = payment.provider().wireName();
        UUID refundId = ids.newId();
        return providers.connection(actor.tenant(), payment.provider())
                .flatMap(connection -> connection.gateway().refund(connection.account(),
                        new RefundRequest(refundId, payment.reference(), plan.amount(), plan.reason())))
                .flatMap(outcome -> switch (outcome) {
                    case RefundOutcome.Succeeded done -> record(actor, plan, refundId, done.reference(),
                            done.amount().currency().equals(plan.amount().currency()) ? done.amount() : plan.amount());
                    case RefundOutcome.Pending pending -> record(actor, plan, refundId, pending.reference(),
                            plan.amount());
                    case RefundOutcome.Declined declined -> Mono.error(new DomainException(DECLINED, capitalized(name)
                            + " declined the refund: " + declined.code()
                            + (declined.message() == null ? "" : " (" + declined.message() + ")")
                            + ". Nothing was recorded."));
                    case RefundOutcome.Unknown unknown -> Mono.error(new DomainException(OUTCOME_UNKNOWN,
                            capitalized(name) + " did not answer the refund (" + unknown.reason() + "); whether it was"
                                    + " made is unknown. Nothing is recorded now: if it was made, " + name
                                    + "'s refund webhook records it. Check the payment's refunds before asking"
                                    + " again: another request is another refund."));
                });
    }

    private Mono<Refunded> record(Principal actor, RefundPlan plan, UUID refundId, String reference, Money amount) {
        return payments.recordProviderRefund(actor, plan.payment(), new ProviderRefund(refundId, reference, amount,
                        plan.reason()))
                .map(recorded -> new Refunded(recorded.payment(), recorded.refund()));
    }

    private static String capitalized(String name) {
        return name.equals("paypal") ? "PayPal" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
