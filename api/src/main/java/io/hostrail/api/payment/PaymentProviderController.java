package io.hostrail.api.payment;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.Payment;
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
@RequestMapping("/api/v1/settings/payment-providers/stripe")
@Tag(name = "Settings")
@SecurityRequirement(name = "bearer")
public class PaymentProviderController {

    record WebhookSecretsBody(@Schema(description = """
            The endpoint's signing secrets, newest first: one, or two while rotating (both verify until the old one is
            left out)""", example = "[\"whsec_…\"]") @Size(max = 2) List<String> webhookSecrets) {
    }

    record WebhookSecretsResponse(String provider,
            @Schema(description = "How many signing secrets are set; the secrets are never shown") int webhookSecrets) {
    }

    private final WebhookService webhooks;

    public PaymentProviderController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @PutMapping("/webhook-secrets")
    @PreAuthorize("hasAuthority('settings:write')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set the Stripe webhook signing secrets", description = """
            Replaces them. Stored sealed (AES-256-GCM), never shown again, audited without the values.""")
    public Mono<Void> setWebhookSecrets(@AuthenticationPrincipal Principal actor,
            @RequestBody WebhookSecretsBody body) {
        return webhooks.setStripeWebhookSecrets(actor, body.webhookSecrets());
    }

    @GetMapping("/webhook-secrets")
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "How many Stripe webhook signing secrets are set")
    public Mono<WebhookSecretsResponse> webhookSecrets(@AuthenticationPrincipal Principal actor) {
        return webhooks.webhookSecretCount(actor, Payment.Provider.STRIPE)
                .map(count -> new WebhookSecretsResponse("stripe", count));
    }
}
