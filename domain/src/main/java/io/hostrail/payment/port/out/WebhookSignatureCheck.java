package io.hostrail.payment.port.out;

import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.PayPalWebhookSignature;
import io.hostrail.payment.model.SignatureVerdict;
import reactor.core.publisher.Mono;

/**
 * Asks PayPal whether a webhook is its own (PayPal's verify-webhook-signature API), with the credentials of the account
 * the webhook was registered under. Never fails: an unanswered check is {@link SignatureVerdict#UNAVAILABLE}.
 */
public interface WebhookSignatureCheck {

    Mono<SignatureVerdict> verify(GatewayAccount account, PayPalWebhookSignature signature);
}
