package io.hostrail.webclient.paypal;

import static io.hostrail.webclient.support.FakeReply.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.payment.model.GatewayAccount.PayPalAccount;
import io.hostrail.payment.model.PayPalWebhookSignature;
import io.hostrail.payment.model.SignatureVerdict;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.time.SettableClock;
import io.hostrail.webclient.support.Policies;
import io.hostrail.webclient.support.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** PayPal's verify-webhook-signature, against the fake PayPal. */
class PayPalWebhookSignatureCheckTest {

    private static final PayPalAccount ACCOUNT = new PayPalAccount(TenantId.of("0190a000-0000-7000-8000-000000000001"),
            FakePayPalServer.CLIENT_ID, FakePayPalServer.CLIENT_SECRET);
    /** As PayPal sends it: its own key order, spacing and escapes, which a re-serialised copy would lose. */
    private static final String RAW_EVENT = """
            {"id":"WH-58D329510W468432D-8HN650336L201105X","event_version":"1.0","create_time":"2026-03-02T09:00:00.000Z",\
            "resource_type":"capture","resource_version":"2.0","event_type":"PAYMENT.CAPTURE.COMPLETED",\
            "summary":"Payment completed for EUR 12.3 EUR", "resource":{"amount":{"value":"12.30","currency_code":"EUR"},\
            "id":"3C679366HH908393F","status":"COMPLETED","custom_id":"caf\\u00e9-1.0"}}""";

    private final FakePayPalServer payPal = new FakePayPalServer();
    private final PayPalWebhookSignatureCheck check = new PayPalWebhookSignatureCheck(new PayPalApi(WebClient.builder(),
            new PayPalSettings(payPal.baseUrl(), Duration.ofMinutes(5), Policies.relaxed()),
            SettableClock.at("2026-03-02T09:00:00Z")));

    @AfterEach
    void stop() {
        payPal.close();
    }

    private static PayPalWebhookSignature signature(String sig, String rawEvent) {
        return new PayPalWebhookSignature("69cd13f0-d67a-11e5-baa3-778b53f4ae55", "2026-03-02T09:00:01Z",
                "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77", "SHA256withRSA", sig,
                "1JE4291016473214C", rawEvent);
    }

    @Test
    @DisplayName("SUCCESS is verified; the request carries every header's value and the event exactly as received")
    void verified() {
        StepVerifier.create(check.verify(ACCOUNT, signature(FakePayPalServer.GENUINE_SIGNATURE, RAW_EVENT)))
                .expectNext(SignatureVerdict.VERIFIED)
                .verifyComplete();
        RecordedRequest sent = payPal.requests("POST", "/v1/notifications/verify-webhook-signature").getFirst();
        assertThat(sent.header("Authorization")).startsWith("Bearer ");
        assertThat(sent.body()).endsWith(",\"webhook_event\":" + RAW_EVENT + "}");
        JsonNode body = JsonMapper.shared().readTree(sent.body());
        assertThat(body.path("transmission_id").asString()).isEqualTo("69cd13f0-d67a-11e5-baa3-778b53f4ae55");
        assertThat(body.path("transmission_time").asString()).isEqualTo("2026-03-02T09:00:01Z");
        assertThat(body.path("cert_url").asString()).startsWith("https://api.sandbox.paypal.com/v1/notifications/certs/");
        assertThat(body.path("auth_algo").asString()).isEqualTo("SHA256withRSA");
        assertThat(body.path("transmission_sig").asString()).isEqualTo(FakePayPalServer.GENUINE_SIGNATURE);
        assertThat(body.path("webhook_id").asString()).isEqualTo("1JE4291016473214C");
        assertThat(body.path("webhook_event").path("event_type").asString()).isEqualTo("PAYMENT.CAPTURE.COMPLETED");
    }

    @Test
    @DisplayName("FAILURE is rejected; a body that is not a JSON event is rejected without asking")
    void rejected() {
        StepVerifier.create(check.verify(ACCOUNT, signature("forged", RAW_EVENT)))
                .expectNext(SignatureVerdict.REJECTED)
                .verifyComplete();
        StepVerifier.create(check.verify(ACCOUNT, signature(FakePayPalServer.GENUINE_SIGNATURE, "not json")))
                .expectNext(SignatureVerdict.REJECTED)
                .verifyComplete();
        assertThat(payPal.requests("POST", "/v1/notifications/")).hasSize(1);
    }

    @Test
    @DisplayName("PayPal down is unavailable: neither accepted nor refused for good")
    void unavailable() {
        payPal.replies(json(503, ""), json(503, ""), json(503, ""));
        StepVerifier.create(check.verify(ACCOUNT, signature(FakePayPalServer.GENUINE_SIGNATURE, RAW_EVENT)))
                .expectNext(SignatureVerdict.UNAVAILABLE)
                .verifyComplete();
    }
}
