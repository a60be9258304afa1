package io.hostrail.payment.model;

import java.util.Objects;

/**
 * What PayPal sends with a webhook to prove it is from PayPal: its {@code PAYPAL-TRANSMISSION-*} and
 * {@code PAYPAL-AUTH-ALGO}/{@code PAYPAL-CERT-URL} headers, the id of the webhook it was sent to, and the body exactly
 * as received.
 */
public record PayPalWebhookSignature(String transmissionId, String transmissionTime, String certUrl, String authAlgo,
        String transmissionSig, String webhookId, String rawEvent) {

    public PayPalWebhookSignature {
        Objects.requireNonNull(transmissionId, "transmissionId");
        Objects.requireNonNull(transmissionTime, "transmissionTime");
        Objects.requireNonNull(certUrl, "certUrl");
        Objects.requireNonNull(authAlgo, "authAlgo");
        Objects.requireNonNull(transmissionSig, "transmissionSig");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(rawEvent, "rawEvent");
    }
}
