package io.hostrail.api.payment;

import io.hostrail.payment.service.WebhookService;
import io.hostrail.shared.model.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Where Stripe posts a tenant's events. No bearer token: the {@code Stripe-Signature} over the raw body is the
 * credential, checked before anything in the body is read.
 */
@RestController
@Tag(name = "Webhooks", description = """
        Deliveries from payment providers, verified by their signatures, stored raw under the provider's event id and
        processed asynchronously; a delivery repeated is acknowledged and changes nothing.""")
public class StripeWebhookController {

    record Acknowledged(@Schema(description = "The stored delivery") UUID id,
            @Schema(example = "evt_1Pgc76B7WZ01zgkWwyRHS12y") String eventId,
            @Schema(description = "True when this event had been delivered before; nothing was done again")
            boolean duplicate) {
    }

    private final WebhookService webhooks;
    private final MeterRegistry meters;

    public StripeWebhookController(WebhookService webhooks, MeterRegistry meters) {
        this.webhooks = webhooks;
        this.meters = meters;
    }

    @PostMapping("/api/v1/webhooks/stripe/{tenantId}")
    @SecurityRequirement(name = "stripeSignature")
    @Operation(summary = "Receive a Stripe event", description = """
            Set this URL, with your tenant id, as a Stripe webhook endpoint, and its signing secret (whsec_…) with PUT
            /api/v1/settings/payment-providers/stripe/webhook-secrets. The Stripe-Signature header (t=…, v1=…) must be
            an HMAC-SHA256 of "{t}.{raw body}" under one of the tenant's secrets, and t within the tolerance (300 s) of
            now; otherwise 400 webhook.signature_invalid and nothing is stored. A signed body that is not a Stripe
            event is 400 webhook.malformed. A tenant without a secret set is 404 webhook.endpoint_not_found. The answer
            comes as soon as the event is stored; processing follows asynchronously.""")
    public Mono<Acknowledged> receive(@PathVariable @Parameter(description = "Your tenant id") UUID tenantId,
            @RequestHeader(name = "Stripe-Signature", required = false) String signature,
            @RequestBody(required = false) byte[] body) {
        return webhooks.receiveStripe(new TenantId(tenantId), body == null ? new byte[0] : body, signature)
                .doOnNext(receipt -> {
                    meters.counter("hostrail.webhooks.received", "provider", "stripe", "duplicate",
                            String.valueOf(receipt.duplicate())).increment();
                    if (!receipt.duplicate() && !receipt.actedOn()) {
                        meters.counter("hostrail.webhooks.unhandled", "provider", "stripe", "type",
                                receipt.eventType()).increment();
                    }
                })
                .doOnError(e -> meters.counter("hostrail.webhooks.refused", "provider", "stripe").increment())
                .map(receipt -> new Acknowledged(receipt.id(), receipt.eventId(), receipt.duplicate()));
    }
}
