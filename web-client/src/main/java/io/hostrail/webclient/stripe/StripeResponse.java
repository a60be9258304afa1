package io.hostrail.webclient.stripe;

import static io.hostrail.webclient.support.JsonFields.text;

import tools.jackson.databind.JsonNode;

/** Stripe's answer to one call: the status and the body, an API object on success and {@code {"error": {...}}} otherwise. */
record StripeResponse(int status, JsonNode body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    StripeError error() {
        JsonNode error = body.path("error");
        String type = text(error, "type");
        return new StripeError(status, type == null ? "http_" + status : type, text(error, "code"),
                text(error, "decline_code"), text(error, "message"), text(error.path("payment_intent"), "id"));
    }

    /**
     * Stripe's error object: {@code type} ({@code card_error}, {@code invalid_request_error}, ...), {@code code}
     * ({@code card_declined}, {@code resource_missing}), for card declines a {@code decline_code}
     * ({@code insufficient_funds}), a {@code message} fit for the payer, and the PaymentIntent the error concerns, if any.
     */
    record StripeError(int status, String type, String code, String declineCode, String message, String paymentIntentId) {

        /** The most specific of the codes. */
        String mostSpecificCode() {
            if (declineCode != null) {
                return declineCode;
            }
            return code != null ? code : type;
        }

        boolean isMissingResource() {
            return status == 404 || "resource_missing".equals(code);
        }
    }
}
