package io.hostrail.api.payment;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.PaymentAttempt;
import io.hostrail.payment.service.PaymentAttemptService;
import io.hostrail.payment.service.PaymentAttemptService.CheckoutDraft;
import io.hostrail.payment.service.PaymentAttemptService.Filter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.CacheControl;
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
@Tag(name = "Payments")
@SecurityRequirement(name = "bearer")
public class PaymentAttemptController {

    record CheckoutBody(
            @Schema(allowableValues = {"stripe", "paypal"}) @Size(max = 20) String provider,
            @Schema(description = "PayPal only, required: where PayPal sends the payer after approving",
                    example = "https://portal.example.com/invoices/INV-2026-000042/paid") @Size(max = 2000)
            String returnUrl,
            @Schema(description = "PayPal only, required: where PayPal sends the payer who gives up",
                    example = "https://portal.example.com/invoices/INV-2026-000042") @Size(max = 2000)
            String cancelUrl) {
    }

    record AttemptResponse(UUID id, UUID invoiceId, UUID customerId,
            @Schema(allowableValues = {"stripe", "paypal"}) String provider,
            @Schema(allowableValues = {"checkout", "off_session"}) String purpose,
            @Schema(allowableValues = {"started", "pending", "unknown", "succeeded", "declined", "abandoned",
                    "unresolved"}, description = """
                    started: the provider is being asked; pending: the payer has to act (or the provider is still
                    processing); unknown: the provider's answer was lost, and it is being asked again; unresolved: it
                    never answered, staff may check again. succeeded, declined and abandoned are final.""")
            String status,
            @Schema(example = "EUR") String currency, @Schema(example = "49.50") String amount,
            @Schema(description = "Stripe's PaymentIntent or PayPal's order", nullable = true) String reference,
            @Schema(description = "The payment recorded when it succeeded", nullable = true) UUID paymentId,
            @Schema(description = "The provider's code when declined", example = "insufficient_funds",
                    nullable = true) String declineCode,
            @Schema(nullable = true) String declineMessage,
            @Schema(description = "When it is next checked with the provider, while open", nullable = true)
            Instant nextCheckAt,
            Instant createdAt, Instant updatedAt) {

        static AttemptResponse of(PaymentAttempt a) {
            return new AttemptResponse(a.id(), a.invoiceId(), a.customerId(), a.provider().wireName(),
                    a.purpose().wireName(), a.status().wireName(), a.amount().currency().getCurrencyCode(),
                    a.amount().toMajorUnits().toPlainString(), a.reference(), a.paymentId(), a.declineCode(),
                    a.declineMessage(), a.nextCheckAt(), a.createdAt(), a.updatedAt());
        }
    }

    record CheckoutResponse(AttemptResponse attempt,
            @Schema(description = "Stripe: what Stripe.js confirms the PaymentIntent with; never stored by Hostrail",
                    nullable = true) String clientSecret,
            @Schema(description = "Stripe: the publishable key to load Stripe.js with; PayPal: the client id",
                    nullable = true) String publicKey,
            @Schema(description = "PayPal: where to send the payer to approve the order", nullable = true)
            String approvalUrl) {
    }

    record AttemptPage(List<AttemptResponse> items, String nextCursor) {
    }

    private final PaymentAttemptService attempts;

    public PaymentAttemptController(PaymentAttemptService attempts) {
        this.attempts = attempts;
    }

    @PostMapping("/invoices/{id}/checkout")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "Pay an invoice through Stripe or PayPal", description = """
            Whoever may see the invoice may pay it: its customer's own users, or staff on the customer's behalf. Starts
            a payment of what is due and answers what the payer's browser needs: for Stripe the PaymentIntent's client
            secret (confirm it with Stripe.js, then call complete), for PayPal the approval URL (after the payer comes
            back to returnUrl, call complete, which captures the order). Calling it again before the payer finishes
            hands back the same attempt rather than starting a second one. The attempt is recorded before the provider
            is called: if the provider does not answer, the attempt is unknown and Hostrail keeps asking the provider
            until it knows; it never reads a lost answer as a decline. The invoice is paid, and its subscriptions
            activated, when the payment is recorded (from complete, the provider's webhook, or the follow-up, whichever
            comes first, once). 409 payment_provider.not_connected when the tenant has not connected the provider, 409
            payment_attempt.invoice_not_payable for an invoice not open or with nothing due.""")
    public Mono<ResponseEntity<CheckoutResponse>> checkout(@AuthenticationPrincipal Principal actor,
            @PathVariable UUID id, @RequestBody CheckoutBody body) {
        return attempts.checkout(actor, id, new CheckoutDraft(body.provider(), body.returnUrl(), body.cancelUrl()))
                .map(checkout -> ResponseEntity.created(URI.create("/api/v1/payment-attempts/" + checkout.attempt().id()))
                        // The client secret is for the payer's browser only: never cached, nor kept for key replays.
                        .cacheControl(CacheControl.noStore())
                        .body(new CheckoutResponse(AttemptResponse.of(checkout.attempt()), checkout.clientSecret(),
                                checkout.publicKey(), checkout.approvalUrl())));
    }

    @PostMapping("/invoices/{id}/charge")
    @PreAuthorize("hasAuthority('payment:write')")
    @Operation(summary = "Charge the customer's saved payment method for an invoice", description = """
            Staff only: charges what the invoice has due to the customer's default saved method, with the payer away
            (off-session). Answers the attempt: succeeded with its payment, declined with the provider's code, or
            unknown when the provider's answer was lost, which Hostrail then settles by asking the provider; never a
            second charge. 409 payment_attempt.no_saved_method when the customer has none, 409
            payment_attempt.in_progress while another charge of the invoice is still open.""")
    public Mono<ResponseEntity<AttemptResponse>> charge(@AuthenticationPrincipal Principal actor,
            @PathVariable UUID id) {
        return attempts.chargeDefault(actor, id).map(attempt -> ResponseEntity
                .created(URI.create("/api/v1/payment-attempts/" + attempt.id())).body(AttemptResponse.of(attempt)));
    }

    @PostMapping("/payment-attempts/{id}/complete")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "Finish a payment the payer approved or confirmed", description = """
            PayPal: captures the approved order. Stripe: reads where the confirmed PaymentIntent stands. Records the
            payment when it succeeded; an attempt already settled is answered as it is, so calling it twice is safe.""")
    public Mono<AttemptResponse> complete(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return attempts.complete(actor, id).map(AttemptResponse::of);
    }

    @PostMapping("/payment-attempts/{id}/check")
    @PreAuthorize("hasAuthority('payment:write')")
    @Operation(summary = "Ask the provider now where an attempt stands", description = """
            Staff only. Settles an open attempt by the provider's answer; one left unresolved (the provider never
            answered) is taken up again.""")
    public Mono<AttemptResponse> check(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return attempts.check(actor, id).map(AttemptResponse::of);
    }

    @GetMapping("/payment-attempts/{id}")
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "Get a payment attempt")
    public Mono<AttemptResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return attempts.get(actor, id).map(AttemptResponse::of);
    }

    @GetMapping("/payment-attempts")
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "List payment attempts", description = """
            Oldest first; pass nextCursor as after. status=unresolved lists the attempts the provider never answered
            about. A client user gets its own customer's only.""")
    public Mono<AttemptPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) UUID invoiceId, @RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) String status, @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return attempts.list(actor, new Filter(invoiceId, customerId, status, after, limit))
                .map(AttemptResponse::of).collectList()
                .map(items -> new AttemptPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }
}
