package io.hostrail.api.payment;

import io.hostrail.api.payment.StripeWebhookController.Acknowledged;
import io.hostrail.payment.service.PayPalWebhookService;
import io.hostrail.payment.service.PayPalWebhookService.Transmission;
import io.hostrail.shared.model.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
 * Where PayPal posts a tenant's events. No bearer token: PayPal's transmission headers are the credential, and PayPal
 * itself confirms them before anything in the body is acted on.
 */
@RestController
@Tag(name = "Webhooks")
public class PayPalWebhookController {

    private final PayPalWebhookService webhooks;
    private final MeterRegistry meters;

    public PayPalWebhookController(PayPalWebhookService webhooks, MeterRegistry meters) {
        this.webhooks = webhooks;
        this.meters = meters;
    }

    @PostMapping("/api/v1/webhooks/paypal/{tenantId}")
    @SecurityRequirement(name = "paypalSignature")
    @Operation(summary = "Receive a PayPal event", description = """
            Register this URL, with your tenant id, as a webhook of your PayPal REST app, and connect the app with the
            webhook's id (PUT /api/v1/settings/payment-providers/paypal). Each delivery is verified by asking PayPal's
            verify-webhook-signature API (live or sandbox, as the app is) with the PAYPAL-TRANSMISSION-ID, -TIME, -SIG,
            PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO headers, the webhook id and the raw body. PayPal not confirming it (or
            headers missing) is 400 webhook.signature_invalid; PayPal not answering is 503
            webhook.signature_unverifiable, so PayPal delivers it again; either way nothing is stored. A tenant without
            a PayPal app and webhook id is 404 webhook.endpoint_not_found. A verified body that is not a PayPal event
            is 400 webhook.malformed. Stored raw under PayPal's event id (WH-…) and answered at once; processed
            asynchronously; a delivery repeated is answered duplicate and changes nothing.""")
    public Mono<Acknowledged> receive(@PathVariable @Parameter(description = "Your tenant id") UUID tenantId,
            @RequestHeader(name = "PAYPAL-TRANSMISSION-ID", required = false) String transmissionId,
            @RequestHeader(name = "PAYPAL-TRANSMISSION-TIME", required = false) String transmissionTime,
            @RequestHeader(name = "PAYPAL-TRANSMISSION-SIG", required = false) String transmissionSig,
            @RequestHeader(name = "PAYPAL-CERT-URL", required = false) String certUrl,
            @RequestHeader(name = "PAYPAL-AUTH-ALGO", required = false) String authAlgo,
            @RequestBody(required = false) byte[] body) {
        return webhooks.receive(new TenantId(tenantId), body == null ? new byte[0] : body,
                        new Transmission(transmissionId, transmissionTime, transmissionSig, certUrl, authAlgo))
                .doOnNext(receipt -> {
                    meters.counter("hostrail.webhooks.received", "provider", "paypal", "duplicate",
                            String.valueOf(receipt.duplicate())).increment();
                    if (!receipt.duplicate() && !receipt.actedOn()) {
                        meters.counter("hostrail.webhooks.unhandled", "provider", "paypal", "type",
                                receipt.eventType()).increment();
                    }
                })
                .doOnError(e -> meters.counter("hostrail.webhooks.refused", "provider", "paypal").increment())
                .map(receipt -> new Acknowledged(receipt.id(), receipt.eventId(), receipt.duplicate()));
    }
}
