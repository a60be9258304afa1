package io.hostrail.api.payment;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.CustomerPaymentMethod;
import io.hostrail.payment.service.SavedPaymentMethodService;
import io.hostrail.payment.service.SavedPaymentMethodService.SetupStarted;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/customers/{id}/payment-methods")
@Tag(name = "Saved payment methods", description = """
        Cards a customer saves at Stripe for renewals and other off-session charges, and which one is the default.
        Card numbers never reach Hostrail: the payer's browser gives the card to Stripe.js with the client secret of a
        set-up, and a sync then reads what Stripe saved. Only Stripe keeps saved methods; PayPal has none here. Client
        users manage their own customer's cards only.""")
@SecurityRequirement(name = "bearer")
public class SavedPaymentMethodController {

    record SetupResponse(@Schema(example = "stripe", allowableValues = {"stripe"}) String provider,
            @Schema(description = "Stripe's SetupIntent id", example = "seti_1Pgag7B7WZ01zgkWSgwGdb8Z") String setupId,
            @Schema(description = "For Stripe.js confirmCardSetup; give it to the payer's browser only, never store or "
                    + "log it", example = "seti_1Pgag7B7WZ01zgkWSgwGdb8Z_secret_QXg2AQLdBxJwtY51IkwvUaBVsnCqPSp")
            String clientSecret,
            @Schema(description = "The tenant's publishable key, to load Stripe.js with", example = "pk_live_…")
            String publishableKey) {

        static SetupResponse of(SetupStarted setup) {
            return new SetupResponse(setup.provider().wireName(), setup.setupReference(), setup.clientSecret(),
                    setup.publishableKey());
        }

        @Override
        public String toString() {
            return "SetupResponse[provider=" + provider + ", setupId=" + setupId + ", clientSecret=****]";
        }
    }

    record PaymentMethodResponse(UUID id, UUID customerId,
            @Schema(example = "stripe", allowableValues = {"stripe"}) String provider,
            @Schema(description = "Stripe's PaymentMethod id", example = "pm_1Pgc75B7WZ01zgkWlHVgdEGJ") String reference,
            @Schema(example = "card") String type,
            @Schema(example = "visa", nullable = true) String brand,
            @Schema(description = "The last four digits; the full number is never known here", example = "4242",
                    nullable = true) String last4,
            @Schema(example = "8", nullable = true) Integer expMonth,
            @Schema(example = "2030", nullable = true) Integer expYear,
            @Schema(description = "Off-session charges use the default; a customer with methods has exactly one")
            boolean isDefault,
            Instant createdAt) {

        static PaymentMethodResponse of(CustomerPaymentMethod m) {
            return new PaymentMethodResponse(m.id(), m.customerId(), m.provider().wireName(), m.reference(), m.type(),
                    m.brand(), m.last4(), m.expMonth(), m.expYear(), m.isDefault(), m.createdAt());
        }
    }

    record PaymentMethodList(@Schema(description = "Newest first") List<PaymentMethodResponse> items) {
    }

    private final SavedPaymentMethodService methods;

    public SavedPaymentMethodController(SavedPaymentMethodService methods) {
        this.methods = methods;
    }

    @PostMapping("/setups")
    @PreAuthorize("hasAuthority('payment_method:write')")
    @Operation(summary = "Start saving a card", description = """
            Makes the customer's Stripe customer the first time (once, however many set-ups are started) and a
            SetupIntent for off-session use. Give clientSecret and publishableKey to the payer's browser, which calls
            Stripe.js confirmCardSetup(clientSecret, {payment_method: {card}}); once it succeeds, call sync. The answer
            is not kept for Idempotency-Key replays (it carries a secret). Stripe not connected is 409
            payment_provider.not_connected; Stripe unreachable is 503 payment.gateway_unavailable (504
            payment.gateway_timeout), and nothing is stored.""")
    public Mono<ResponseEntity<SetupResponse>> startSetup(@AuthenticationPrincipal Principal actor,
            @PathVariable @Parameter(description = "The customer") UUID id) {
        return methods.startSetup(actor, id).map(setup -> ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/customers/" + id + "/payment-methods"))
                .cacheControl(CacheControl.noStore())
                .body(SetupResponse.of(setup)));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('payment_method:read')")
    @Operation(summary = "The customer's saved cards", description = """
            Newest first, as last synced with Stripe. Removed cards are not listed.""")
    public Mono<PaymentMethodList> list(@AuthenticationPrincipal Principal actor,
            @PathVariable @Parameter(description = "The customer") UUID id) {
        return methods.list(actor, id).map(PaymentMethodResponse::of).collectList().map(PaymentMethodList::new);
    }

    @PostMapping("/sync")
    @PreAuthorize("hasAuthority('payment_method:write')")
    @Operation(summary = "Read the customer's cards from Stripe", description = """
            Stores the cards Stripe has for the customer and Hostrail does not yet (payment_method.saved; the newest
            becomes the default when the customer has none), updates expiry dates Stripe changed, and removes cards
            Stripe no longer has (payment_method.removed). Answers the cards after it. A customer that never started a
            set-up has nothing at Stripe, and Stripe is not asked. Stripe unreachable is 503
            payment.gateway_unavailable, and nothing changes.""")
    public Mono<PaymentMethodList> sync(@AuthenticationPrincipal Principal actor,
            @PathVariable @Parameter(description = "The customer") UUID id) {
        return methods.sync(actor, id).map(PaymentMethodResponse::of).collectList().map(PaymentMethodList::new);
    }

    @PutMapping("/{methodId}/default")
    @PreAuthorize("hasAuthority('payment_method:write')")
    @Operation(summary = "Make a card the default", description = """
            Renewals and other off-session charges use it from now on; the previous default no longer is one.
            Publishes payment_method.default_changed and is audited; a card that is the default already changes
            nothing.""")
    public Mono<PaymentMethodResponse> setDefault(@AuthenticationPrincipal Principal actor,
            @PathVariable @Parameter(description = "The customer") UUID id,
            @PathVariable @Parameter(description = "The saved card") UUID methodId) {
        return methods.setDefault(actor, id, methodId).map(PaymentMethodResponse::of);
    }

    @DeleteMapping("/{methodId}")
    @PreAuthorize("hasAuthority('payment_method:write')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a card", description = """
            Detaches it at Stripe, then removes it here (payment_method.removed, audited). Removing the default makes
            the newest remaining card the default (payment_method.default_changed), or leaves the customer without one.
            If Stripe is unreachable (503) the card stays as it was.""")
    public Mono<Void> remove(@AuthenticationPrincipal Principal actor,
            @PathVariable @Parameter(description = "The customer") UUID id,
            @PathVariable @Parameter(description = "The saved card") UUID methodId) {
        return methods.remove(actor, id, methodId);
    }
}
