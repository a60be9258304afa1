package io.hostrail.webclient.paypal;

import static io.hostrail.webclient.paypal.PayPalApi.payPalAccount;
import static io.hostrail.webclient.support.JsonFields.text;

import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.PayPalWebhookSignature;
import io.hostrail.payment.model.SignatureVerdict;
import io.hostrail.payment.port.out.WebhookSignatureCheck;
import io.hostrail.webclient.support.JsonFields;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link WebhookSignatureCheck} on PayPal's {@code POST /v1/notifications/verify-webhook-signature}, which answers
 * {@code {"verification_status": "SUCCESS" | "FAILURE"}}.
 *
 * <p>The event goes into the request exactly as it was received, spliced in as raw JSON rather than parsed and written
 * again: PayPal checks the signature over the event's bytes, and a re-serialised event (keys reordered, numbers or
 * escapes rewritten) would fail verification although it was genuine.
 */
public final class PayPalWebhookSignatureCheck implements WebhookSignatureCheck {

    private final PayPalApi payPal;

    public PayPalWebhookSignatureCheck(PayPalApi payPal) {
        this.payPal = payPal;
    }

    @Override
    public Mono<SignatureVerdict> verify(GatewayAccount account, PayPalWebhookSignature signature) {
        return Mono.defer(() -> {
            var payPalAccount = payPalAccount(account);
            if (!JsonFields.tree(signature.rawEvent()).isObject()) {
                // Not an event at all: nothing PayPal could have signed.
                return Mono.just(SignatureVerdict.REJECTED);
            }
            // Reads nothing and changes nothing at PayPal, so it needs no request id to be retried.
            return payPal.send(payPalAccount, HttpMethod.POST, "/v1/notifications/verify-webhook-signature", null,
                            request(signature))
                    .map(response -> {
                        if (response.ok()) {
                            return "SUCCESS".equals(text(response.body(), "verification_status"))
                                    ? SignatureVerdict.VERIFIED : SignatureVerdict.REJECTED;
                        }
                        // 401/403: our credentials, not the sender's fault. Other 4xx: the headers were malformed.
                        return response.status() == 401 || response.status() == 403 ? SignatureVerdict.UNAVAILABLE
                                : SignatureVerdict.REJECTED;
                    })
                    .onErrorResume(failure -> {
                        PayPalPaymentGateway.reason(failure);
                        return Mono.just(SignatureVerdict.UNAVAILABLE);
                    });
        });
    }

    private static String request(PayPalWebhookSignature signature) {
        ObjectNode fields = JsonMapper.shared().createObjectNode();
        fields.put("transmission_id", signature.transmissionId());
        fields.put("transmission_time", signature.transmissionTime());
        fields.put("cert_url", signature.certUrl());
        fields.put("auth_algo", signature.authAlgo());
        fields.put("transmission_sig", signature.transmissionSig());
        fields.put("webhook_id", signature.webhookId());
        String head = JsonMapper.shared().writeValueAsString(fields);
        return head.substring(0, head.length() - 1) + ",\"webhook_event\":" + signature.rawEvent().strip() + "}";
    }
}
