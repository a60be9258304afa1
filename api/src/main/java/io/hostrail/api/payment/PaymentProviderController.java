package io.hostrail.api.payment;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.PaymentProviderService.PayPalDraft;
import io.hostrail.payment.service.PaymentProviderService.ProviderView;
import io.hostrail.payment.service.PaymentProviderService.StripeDraft;
import io.hostrail.payment.service.WebhookService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/settings/payment-providers")
@Tag(name = "Settings")
@SecurityRequirement(name = "bearer")
public class PaymentProviderController {

    record StripeBody(
            @Schema(description = "Secret (sk_) or restricted (rk_) key; stored sealed, never shown again",
                    example = "sk_live_…") @Size(max = 255) String secretKey,
            @Schema(description = "Publishable key of the same mode, given to payers' browsers for Stripe.js",
                    example = "pk_live_…") @Size(max = 255) String publishableKey) {

        @Override
        public String toString() {
            return "StripeBody[secretKey=****, publishableKey=" + publishableKey + "]";
        }
    }

    record PayPalBody(
            @Schema(description = "The REST app's client id") @Size(max = 255) String clientId,
            @Schema(description = "The REST app's secret; stored sealed, never shown again") @Size(max = 255)
            String clientSecret,
            @Schema(description = "The id PayPal gave the webhook registered for this tenant's endpoint; signature "
                    + "verification names it", example = "1JE4291016473214C") @Size(max = 255) String webhookId,
            @Schema(allowableValues = {"live", "sandbox"}) @Size(max = 20) String environment) {

        @Override
        public String toString() {
            return "PayPalBody[clientId=" + clientId + ", clientSecret=****, webhookId=" + webhookId + "]";
        }
    }

    record ProviderResponse(@Schema(allowableValues = {"stripe", "paypal"}) String provider, boolean connected,
            @Schema(allowableValues = {"live", "test"}, nullable = true) String environment,
            @Schema(description = "Stripe's publishable key or PayPal's client id", nullable = true) String publicKey,
            @Schema(description = "The last four characters of the secret", nullable = true) String secretLast4,
            @Schema(nullable = true) String webhookId,
            @Schema(description = "How many webhook signing secrets are set (Stripe)") int webhookSecrets) {

        static ProviderResponse of(ProviderView view) {
            return new ProviderResponse(view.provider().wireName(), view.connected(),
                    view.environment() == null ? null : view.environment().wireName(), view.publicKey(),
                    view.secretLast4(), view.webhookId(), view.webhookSecrets());
        }
    }

    record ProvidersResponse(List<ProviderResponse> items) {
    }

    record WebhookSecretsBody(@Schema(description = """
            The endpoint's signing secrets, newest first: one, or two while rotating (both verify until the old one is
            left out)""", example = "[\"whsec_…\"]") @Size(max = 2) List<String> webhookSecrets) {
    }

    record WebhookSecretsResponse(String provider,
            @Schema(description = "How many signing secrets are set; the secrets are never shown") int webhookSecrets) {
    }

    private final PaymentProviderService providers;
    private final WebhookService webhooks;

    public PaymentProviderController(PaymentProviderService providers, WebhookService webhooks) {
        this.providers = providers;
        this.webhooks = webhooks;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "The payment providers and what is connected at each", description = """
            Secrets are never shown: only their last four characters.""")
    public Mono<ProvidersResponse> list(@AuthenticationPrincipal Principal actor) {
        return providers.list(actor).map(ProviderResponse::of).collectList().map(ProvidersResponse::new);
    }

    @PutMapping("/stripe")
    @PreAuthorize("hasAuthority('settings:write')")
    @Operation(summary = "Connect a Stripe account", description = """
            Replaces the keys connected before. Live or test mode follows the keys' prefix, which must agree. The secret
            key is sealed (AES-256-GCM) before it is stored; the change is audited without it.""")
    public Mono<ProviderResponse> connectStripe(@AuthenticationPrincipal Principal actor,
            @RequestBody StripeBody body) {
        return providers.connectStripe(actor, new StripeDraft(body.secretKey(), body.publishableKey()))
                .map(ProviderResponse::of);
    }

    @PutMapping("/paypal")
    @PreAuthorize("hasAuthority('settings:write')")
    @Operation(summary = "Connect a PayPal REST app", description = """
            Replaces the app connected before. The sandbox environment calls PayPal's sandbox API. The client secret is
            sealed (AES-256-GCM) before it is stored; the change is audited without it.""")
    public Mono<ProviderResponse> connectPayPal(@AuthenticationPrincipal Principal actor,
            @RequestBody PayPalBody body) {
        return providers.connectPayPal(actor, new PayPalDraft(body.clientId(), body.clientSecret(), body.webhookId(),
                body.environment())).map(ProviderResponse::of);
    }

    @PutMapping("/stripe/webhook-secrets")
    @PreAuthorize("hasAuthority('settings:write')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set the Stripe webhook signing secrets", description = """
            Replaces them. Stored sealed (AES-256-GCM), never shown again, audited without the values.""")
    public Mono<Void> setWebhookSecrets(@AuthenticationPrincipal Principal actor,
            @RequestBody WebhookSecretsBody body) {
        return webhooks.setStripeWebhookSecrets(actor, body.webhookSecrets());
    }

    @GetMapping("/stripe/webhook-secrets")
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "How many Stripe webhook signing secrets are set")
    public Mono<WebhookSecretsResponse> webhookSecrets(@AuthenticationPrincipal Principal actor) {
        return webhooks.webhookSecretCount(actor, Payment.Provider.STRIPE)
                .map(count -> new WebhookSecretsResponse("stripe", count));
    }
}
