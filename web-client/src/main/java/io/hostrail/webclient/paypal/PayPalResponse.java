package io.hostrail.webclient.paypal;

import static io.hostrail.webclient.support.JsonFields.text;

import tools.jackson.databind.JsonNode;

/**
 * PayPal's answer to one call: the status and the body, a resource on success and PayPal's error otherwise:
 * {@code {"name": "UNPROCESSABLE_ENTITY", "message": ..., "debug_id": ..., "details": [{"issue": "INSTRUMENT_DECLINED",
 * "description": ...}]}} (the token endpoint answers OAuth's {@code {"error", "error_description"}} instead).
 */
record PayPalResponse(int status, JsonNode body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The most specific code: the first detail's {@code issue}, else the error's {@code name}, else the status. */
    String issue() {
        String issue = text(body.path("details").path(0), "issue");
        if (issue == null) {
            issue = text(body, "name");
        }
        if (issue == null) {
            issue = text(body, "error");
        }
        return issue != null ? issue : "HTTP_" + status;
    }

    String message() {
        String description = text(body.path("details").path(0), "description");
        if (description == null) {
            description = text(body, "message");
        }
        return description != null ? description : text(body, "error_description");
    }
}
