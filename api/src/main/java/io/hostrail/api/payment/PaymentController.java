package io.hostrail.api.payment;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentRefund;
import io.hostrail.payment.service.PaymentService;
import io.hostrail.payment.service.PaymentService.Filter;
import io.hostrail.payment.service.PaymentService.ManualDraft;
import io.hostrail.payment.service.PaymentService.RefundDraft;
import io.hostrail.payment.service.ProviderRefundService;
import io.hostrail.shared.model.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Payments", description = """
        Money received from customers, by hand (bank transfer, cash, cheque) or through a payment provider, and the
        refunds given back on it. Client users see their own customer's payments only.""")
@SecurityRequirement(name = "bearer")
public class PaymentController {

    record ManualPaymentBody(
            @Schema(example = "49.50", description = "More than zero, in the invoice's currency") @Size(max = 40)
            String amount,
            @Schema(example = "bank_transfer", allowableValues = {"bank_transfer", "cash", "cheque", "other"})
            @Size(max = 20) String method,
            @Schema(example = "SEPA ref 2026-12-0042", description = "The bank's or the cheque's reference")
            @Size(max = 200) String reference,
            @Schema(example = "2026-11-02T09:00:00Z", description = "When the money arrived; now when absent, never in"
                    + " the future") Instant receivedAt,
            @Size(max = 500) String note) {

        ManualDraft draft() {
            return new ManualDraft(amount, method, reference, receivedAt, note);
        }
    }

    record RefundBody(@Schema(example = "20.00", description = "At most what is left of the payment") @Size(max = 40)
            String amount,
            @Schema(example = "Cancelled within the 30-day guarantee", description = "Required") @Size(max = 500)
            String reason) {

        RefundDraft draft() {
            return new RefundDraft(amount, reason);
        }
    }

    record PaymentResponse(UUID id, UUID customerId, UUID invoiceId,
            @Schema(example = "manual", allowableValues = {"manual", "stripe", "paypal"}) String provider,
            @Schema(example = "bank_transfer") String method, String reference,
            @Schema(example = "EUR") String currency, @Schema(example = "49.50") String amount,
            @Schema(description = "The part that paid the invoice") String applied,
            @Schema(description = "The part that went to the customer's credit") String toCredit,
            String refunded,
            @Schema(allowableValues = {"succeeded", "partially_refunded", "refunded"}) String status,
            boolean disputed, String note, Instant receivedAt, Instant createdAt, long version) {

        static PaymentResponse of(Payment p) {
            return new PaymentResponse(p.id(), p.customerId(), p.invoiceId(), p.provider().wireName(),
                    p.method().wireName(), p.reference(), p.amount().currency().getCurrencyCode(), text(p.amount()),
                    text(p.applied()), text(p.toCredit()), text(p.refunded()), p.status().wireName(), p.disputed(),
                    p.note(), p.receivedAt(), p.createdAt(), p.version());
        }
    }

    record RefundResponse(UUID id, UUID paymentId, String currency, String amount, String reason,
            @Schema(description = "The credit note that credited the paid invoice first, if any") UUID creditNoteId,
            String reference, Instant refundedAt) {

        static RefundResponse of(PaymentRefund r) {
            return new RefundResponse(r.id(), r.paymentId(), r.amount().currency().getCurrencyCode(),
                    text(r.amount()), r.reason(), r.creditNoteId(), r.reference(), r.refundedAt());
        }
    }

    record RefundedResponse(PaymentResponse payment, RefundResponse refund) {
    }

    record PaymentPage(List<PaymentResponse> items, String nextCursor) {
    }

    private final PaymentService payments;
    private final ProviderRefundService refunds;

    public PaymentController(PaymentService payments, ProviderRefundService refunds) {
        this.payments = payments;
        this.refunds = refunds;
    }

    @PostMapping("/invoices/{id}/payments")
    @PreAuthorize("hasAuthority('payment:write')")
    @Operation(summary = "Record a payment received by hand", description = """
            For an open or written-off invoice: money that came by bank transfer, cash or cheque. Up to the amount due
            pays the invoice (paid, with invoice.paid, when nothing is left due; a written-off one recovers bad debt),
            the rest goes to the customer's credit. Records the cash in the ledger and publishes payment.received, all
            at once. A paid, void or draft invoice is 409 invoice.state_conflict: give the customer credit instead.""")
    public Mono<ResponseEntity<PaymentResponse>> record(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody ManualPaymentBody body) {
        return payments.recordManual(actor, id, body.draft()).map(p -> ResponseEntity
                .created(URI.create("/api/v1/payments/" + p.id())).body(PaymentResponse.of(p)));
    }

    @GetMapping("/payments")
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "List payments", description = """
            Oldest first. Filter by customer and invoice; pass nextCursor as after. A client user gets its own
            customer's only.""")
    public Mono<PaymentPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) UUID customerId, @RequestParam(required = false) UUID invoiceId,
            @RequestParam(required = false) UUID after, @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return payments.list(actor, new Filter(customerId, invoiceId, after, limit)).map(PaymentResponse::of)
                .collectList()
                .map(items -> new PaymentPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/payments/{id}")
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "Get a payment")
    public Mono<PaymentResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return payments.get(actor, id).map(PaymentResponse::of);
    }

    @GetMapping("/payments/{id}/refunds")
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "A payment's refunds, oldest first")
    public Mono<List<RefundResponse>> refunds(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return payments.refunds(actor, id).map(RefundResponse::of).collectList();
    }

    @PostMapping("/payments/{id}/refunds")
    @PreAuthorize("hasAuthority('payment:refund')")
    @Operation(summary = "Refund a payment", description = """
            A payment recorded by hand: records money given back (by bank transfer, in cash) outside Hostrail. A Stripe
            or PayPal payment: the refund is made through the provider, then recorded with the provider's refund id
            (reference); the provider's webhook for the same refund changes nothing. Either way a paid invoice is
            credited first by a credit note, as far as it can still be, so its revenue and tax are reversed, and the
            refund is paid out of the customer's credit, which must cover it (409 payment.credit_short when that credit
            was spent on other invoices; nothing is sent to the provider). At most what is left of the payment (400 with
            the field). The provider declining is 422 payment.refund_declined with its code in the detail; nothing is
            recorded. No answer from the provider (5xx, timeout, outage) is 503 payment.refund_outcome_unknown: nothing
            is recorded now, and if the refund was made the provider's refund webhook records it; look at the payment's
            refunds before asking again. A refund the provider accepted as pending is recorded: the money is committed
            to go back. A provider not connected is 409 payment_provider.not_connected. Publishes payment.refunded.""")
    public Mono<ResponseEntity<RefundedResponse>> refund(@AuthenticationPrincipal Principal actor,
            @PathVariable UUID id, @Valid @RequestBody RefundBody body) {
        return refunds.refund(actor, id, body.draft()).map(refunded -> ResponseEntity
                .created(URI.create("/api/v1/payments/" + id + "/refunds"))
                .body(new RefundedResponse(PaymentResponse.of(refunded.payment()), RefundResponse.of(refunded.refund()))));
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
