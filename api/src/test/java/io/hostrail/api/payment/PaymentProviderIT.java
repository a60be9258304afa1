package io.hostrail.api.payment;

import static io.hostrail.api.support.Identities.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Connecting Stripe and PayPal: keys checked, secrets sealed and never shown, audited, each tenant its own. */
@HostrailIntegrationTest
class PaymentProviderIT {

    static final String STRIPE_SECRET = "sk_test_51Hostrail0123456789abcdefWXYZ";
    static final String STRIPE_PUBLISHABLE = "pk_test_51Hostrail0123456789abcdef";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;

    @BeforeEach
    void tenant() {
        session = TenantSession.fresh(http, bootstrap, database);
    }

    @Test
    @DisplayName("a Stripe account is connected, shown without its secret key, sealed at rest and audited")
    void connectStripe() {
        session.get("/api/v1/settings/payment-providers").expectStatus().isOk().expectBody()
                .jsonPath("$.items[0].provider").isEqualTo("stripe")
                .jsonPath("$.items[0].connected").isEqualTo(false)
                .jsonPath("$.items[1].provider").isEqualTo("paypal");

        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", STRIPE_SECRET,
                        "publishableKey", STRIPE_PUBLISHABLE)).expectStatus().isOk().expectBody()
                .jsonPath("$.connected").isEqualTo(true)
                .jsonPath("$.environment").isEqualTo("test")
                .jsonPath("$.publicKey").isEqualTo(STRIPE_PUBLISHABLE)
                .jsonPath("$.secretLast4").isEqualTo("WXYZ");

        String listed = session.get("/api/v1/settings/payment-providers").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains("\"connected\":true").doesNotContain(STRIPE_SECRET);
        String stored = session.text("SELECT secret_sealed FROM payment_provider_account WHERE provider = 'stripe'");
        assertThat(stored).startsWith("hs1:").doesNotContain(STRIPE_SECRET);
        String audit = session.get("/api/v1/audit?action=payment_provider.connected").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(audit).contains("WXYZ").doesNotContain(STRIPE_SECRET);
    }

    @Test
    @DisplayName("bad or mismatched Stripe keys are refused with field errors and change nothing")
    void badStripeKeys() {
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", STRIPE_SECRET,
                "publishableKey", STRIPE_PUBLISHABLE)).expectStatus().isOk();

        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", "sk_live_51Other0123456789",
                        "publishableKey", STRIPE_PUBLISHABLE)).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment_provider.invalid")
                .jsonPath("$.errors[0].field").isEqualTo("publishableKey");
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", "whsec_nope",
                        "publishableKey", "nope")).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2);
        session.put("/api/v1/settings/payment-providers/stripe", "{\"secretKey\": 12, ")
                .expectStatus().isBadRequest();

        session.get("/api/v1/settings/payment-providers").expectBody()
                .jsonPath("$.items[0].environment").isEqualTo("test")
                .jsonPath("$.items[0].secretLast4").isEqualTo("WXYZ");
    }

    @Test
    @DisplayName("a PayPal app is connected for live or sandbox, with the webhook id its signatures name")
    void connectPayPal() {
        session.put("/api/v1/settings/payment-providers/paypal", Map.of("clientId", "AeA1QIZXiflr1_-r0U2UbWTziOWX1GRQer5",
                        "clientSecret", "ECYYrrSHdKfk_Q0EdvzdGkzj58a66kKaUQ5", "webhookId", "1JE4291016473214C",
                        "environment", "sandbox")).expectStatus().isOk().expectBody()
                .jsonPath("$.provider").isEqualTo("paypal")
                .jsonPath("$.environment").isEqualTo("test")
                .jsonPath("$.publicKey").isEqualTo("AeA1QIZXiflr1_-r0U2UbWTziOWX1GRQer5")
                .jsonPath("$.secretLast4").isEqualTo("aUQ5")
                .jsonPath("$.webhookId").isEqualTo("1JE4291016473214C");

        session.put("/api/v1/settings/payment-providers/paypal", Map.of("clientId", "x", "environment", "moon"))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields.toString())
                        .contains("clientId", "clientSecret", "webhookId", "environment"));
    }

    @Test
    @DisplayName("client users cannot see or connect providers; another tenant sees nothing of this one's")
    void accessAndIsolation() {
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", STRIPE_SECRET,
                "publishableKey", STRIPE_PUBLISHABLE)).expectStatus().isOk();
        String acme = session.customer("EUR", null);
        session.post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
        session.get("/api/v1/settings/payment-providers", client).expectStatus().isForbidden();
        session.post(http, "/api/v1/settings/payment-providers/stripe", Map.of(), client).expectStatus()
                .is4xxClientError();

        TenantSession other = TenantSession.fresh(http, bootstrap, database);
        other.get("/api/v1/settings/payment-providers").expectBody().jsonPath("$.items[0].connected").isEqualTo(false);
    }
}
