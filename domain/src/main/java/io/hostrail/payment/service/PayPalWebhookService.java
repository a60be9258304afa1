package io.hostrail.payment.service;

import io.hostrail.payment.model.PayPalWebhookSignature;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderCredentials.Environment;
import io.hostrail.payment.port.out.WebhookSignatureCheck;
import io.hostrail.payment.service.WebhookService.Receipt;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.ErrorKind;
import io.hostrail.shared.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * PayPal deliveries to a tenant's endpoint. PayPal signs with a certificate; Hostrail asks PayPal's
 * verify-webhook-signature API, with the tenant's connected app and the id of the webhook it registered, whether the
 * delivery is genuine (ADR 0009), on the host of the app's environment. Verified, it is stored and processed as a
 * Stripe delivery is; refused, nothing is stored; when PayPal cannot be asked, nothing is stored either and the
 * answer is 503, so PayPal delivers it again (it retries for three days).
 */
public final class PayPalWebhookService {

    public static final ErrorCode UNVERIFIABLE = new ErrorCode("webhook.signature_unverifiable",
            ErrorKind.UNAVAILABLE);

    /** PayPal's {@code PAYPAL-TRANSMISSION-*}, {@code PAYPAL-CERT-URL} and {@code PAYPAL-AUTH-ALGO} headers. */
    public record Transmission(String id, String time, String signature, String certUrl, String authAlgo) {
    }

    private final PaymentProviderService providers;
    private final WebhookService webhooks;
    private final WebhookSignatureCheck live;
    private final WebhookSignatureCheck sandbox;

    /** {@code live} and {@code sandbox} ask PayPal's live and sandbox hosts: an app is known to its own only. */
    public PayPalWebhookService(PaymentProviderService providers, WebhookService webhooks, WebhookSignatureCheck live,
            WebhookSignatureCheck sandbox) {
        this.providers = providers;
        this.webhooks = webhooks;
        this.live = live;
        this.sandbox = sandbox;
    }

    public Mono<Receipt> receive(TenantId tenant, byte[] body, Transmission transmission) {
        String payload = new String(body, StandardCharsets.UTF_8);
        return providers.connection(tenant, Payment.Provider.PAYPAL)
                .onErrorMap(e -> e instanceof DomainException d && d.code().equals(
                        PaymentProviderService.NOT_CONNECTED), e -> notFound())
                .filter(connection -> connection.webhookId() != null)
                .switchIfEmpty(Mono.error(PayPalWebhookService::notFound))
                .flatMap(connection -> {
                    if (Stream.of(transmission.id(), transmission.time(), transmission.signature(),
                            transmission.certUrl(), transmission.authAlgo()).anyMatch(h -> h == null || h.isBlank())
                            || payload.isBlank()) {
                        return Mono.error(new DomainException(WebhookService.SIGNATURE_INVALID, "The PAYPAL-TRANSMISSION-ID,"
                                + " -TIME, -SIG, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO headers and a body are required."));
                    }
                    WebhookSignatureCheck check = connection.environment() == Environment.LIVE ? live : sandbox;
                    // Outside any transaction: PayPal may take seconds to answer.
                    return check.verify(connection.account(), new PayPalWebhookSignature(transmission.id(),
                                    transmission.time(), transmission.certUrl(), transmission.authAlgo(),
                                    transmission.signature(), connection.webhookId(), payload))
                            .flatMap(verdict -> switch (verdict) {
                                case VERIFIED -> webhooks.store(tenant, Payment.Provider.PAYPAL, payload);
                                case REJECTED -> Mono.error(new DomainException(WebhookService.SIGNATURE_INVALID,
                                        "PayPal does not confirm the signature of this delivery for the tenant's"
                                                + " webhook."));
                                case UNAVAILABLE -> Mono.error(new DomainException(UNVERIFIABLE, "PayPal could not be"
                                        + " asked whether the delivery is genuine; nothing was stored. Deliver it"
                                        + " again later."));
                            });
                });
    }

    private static DomainException notFound() {
        return new DomainException(WebhookService.ENDPOINT_NOT_FOUND, "No PayPal webhook endpoint is set up here:"
                + " connect a PayPal app with its webhook id first.");
    }
}
