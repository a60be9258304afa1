package io.hostrail.api.payment;

import static io.hostrail.api.support.Identities.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.webclient.stripe.FakeStripeServer;
import io.hostrail.webclient.stripe.StripeApi;
import io.hostrail.webclient.support.FakeReply;
import io.hostrail.webclient.support.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Customers' saved cards through the API, against the fake Stripe: set-ups, the browser's confirmation (as Stripe.js
 * would make it), sync, the default, removal, who may see what, and Stripe failing.
 */
@HostrailIntegrationTest
class SavedPaymentMethodIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired StripeApi stripeApi;

    private final FakeStripeServer stripe = FakeProviders.stripe();
    private TenantSession session;

    @BeforeEach
    void tenantWithStripe() {
        stripeApi.circuitBreaker().reset();
        session = TenantSession.fresh(http, bootstrap, database);
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", PaymentProviderIT.STRIPE_SECRET,
                "publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)).expectStatus().isOk();
    }

    /** The fake is the whole JVM's: a test that made Stripe fail closes the breaker again for the tests after it. */
    @AfterEach
    void closeBreaker() {
        FakeProviders.forgetScripts();
        stripeApi.circuitBreaker().reset();
    }

    @Test
    @DisplayName("a set-up gives the browser a client secret and the publishable key; the Stripe customer is made once")
    void setupMakesTheStripeCustomerOnce() {
        String customer = session.customer("EUR", null);
        Map<String, Object> first = setup(customer);
        assertThat((String) first.get("setupId")).startsWith("seti_");
        assertThat((String) first.get("clientSecret")).startsWith(first.get("setupId") + "_secret_");
        assertThat(first).containsEntry("publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)
                .containsEntry("provider", "stripe");
        Map<String, Object> second = setup(customer);
        assertThat(second.get("setupId")).isNotEqualTo(first.get("setupId"));

        assertThat(customerRequests(customer)).as("POST /v1/customers for this customer").hasSize(1);
        assertThat(customerRequests(customer).getFirst().header("Idempotency-Key"))
                .isEqualTo("hostrail-customer-" + customer);
        String stripeCustomer = stripeCustomerOf(customer);
        assertThat(stripe.customersWithMetadata("hostrail_customer_id", customer)).containsExactly(stripeCustomer);
        assertThat(stripe.requests("POST", "/v1/setup_intents").stream()
                .filter(r -> stripeCustomer.equals(r.form().get("customer")))).hasSize(2);
        assertThat(session.count("SELECT count(*) AS n FROM saved_payment_method")).isZero();
    }

    @Test
    @DisplayName("two set-ups at once still make one Stripe customer, which both use")
    void concurrentSetups() {
        String customer = session.customer("EUR", null);
        List<Map<String, Object>> setups = Flux.range(0, 2)
                .flatMap(i -> Mono.fromCallable(() -> setup(customer)).subscribeOn(Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(setups).hasSize(2);
        String stripeCustomer = stripeCustomerOf(customer);
        assertThat(stripe.customersWithMetadata("hostrail_customer_id", customer)).containsExactly(stripeCustomer);
        assertThat(stripe.requests("POST", "/v1/setup_intents").stream()
                .filter(r -> stripeCustomer.equals(r.form().get("customer")))).hasSize(2);
    }

    @Test
    @DisplayName("after the browser confirms, a sync stores the card as the default; the list shows no card number")
    void syncStoresTheCard() {
        String customer = session.customer("EUR", null);
        String clientSecret = (String) setup(customer).get("clientSecret");
        String pm = stripe.confirmSetup(clientSecret, "pm_card_visa");

        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].reference").isEqualTo(pm)
                .jsonPath("$.items[0].brand").isEqualTo("visa")
                .jsonPath("$.items[0].last4").isEqualTo("4242")
                .jsonPath("$.items[0].expMonth").isEqualTo(12)
                .jsonPath("$.items[0].expYear").isEqualTo(2034)
                .jsonPath("$.items[0].isDefault").isEqualTo(true);
        String listed = session.get("/api/v1/customers/" + customer + "/payment-methods").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains(pm).doesNotContain("4242424242424242").doesNotContain("number");
        String id = methodId(customer, pm);
        assertThat(session.events(id)).contains("payment_method.saved", "payment_method.default_changed");

        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
        assertThat(session.count("SELECT count(*) AS n FROM saved_payment_method")).as("a second sync adds nothing")
                .isEqualTo(1);
    }

    @Test
    @DisplayName("the default moves to the card chosen, one at a time, audited and published")
    void defaultSwitching() {
        String customer = session.customer("EUR", null);
        String visa = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_visa");
        String mastercard = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_mastercard");
        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].reference").isEqualTo(mastercard)
                .jsonPath("$.items[0].isDefault").isEqualTo(true)
                .jsonPath("$.items[1].reference").isEqualTo(visa)
                .jsonPath("$.items[1].isDefault").isEqualTo(false);

        String visaId = methodId(customer, visa);
        session.put("/api/v1/customers/" + customer + "/payment-methods/" + visaId + "/default", Map.of())
                .expectStatus().isOk().expectBody()
                .jsonPath("$.id").isEqualTo(visaId)
                .jsonPath("$.isDefault").isEqualTo(true);
        session.get("/api/v1/customers/" + customer + "/payment-methods").expectBody()
                .jsonPath("$.items[?(@.isDefault == true)].reference").isEqualTo(List.of(visa));
        assertThat(session.count("SELECT count(*) AS n FROM saved_payment_method WHERE is_default")).isEqualTo(1);
        assertThat(session.events(visaId)).contains("payment_method.default_changed");
        String audit = session.get("/api/v1/audit?action=payment_method.default_changed").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(audit).contains(visaId);
    }

    @Test
    @DisplayName("removing a card detaches it at Stripe; removing the default promotes the newest remaining card")
    void removal() {
        String customer = session.customer("EUR", null);
        String visa = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_visa");
        String mastercard = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_mastercard");
        String amex = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_amex");
        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isOk();
        String amexId = methodId(customer, amex);
        assertThat(isDefault(customer, amex)).isTrue();

        delete("/api/v1/customers/" + customer + "/payment-methods/" + amexId, session.ownerToken())
                .expectStatus().isNoContent();
        assertThat(stripe.requests("POST", "/v1/payment_methods/" + amex + "/detach")).hasSize(1);
        assertThat(stripe.attachedTo(stripeCustomerOf(customer))).containsExactly(mastercard, visa);
        session.get("/api/v1/customers/" + customer + "/payment-methods").expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].reference").isEqualTo(mastercard)
                .jsonPath("$.items[0].isDefault").isEqualTo(true);
        assertThat(session.events(amexId)).contains("payment_method.removed");
        assertThat(session.text("SELECT removed_at::text FROM saved_payment_method WHERE reference = '" + amex + "'"))
                .as("kept, marked removed").isNotNull();

        delete("/api/v1/customers/" + customer + "/payment-methods/" + amexId, session.ownerToken())
                .expectStatus().isNotFound().expectBody()
                .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment_method.not_found");
        delete("/api/v1/customers/" + customer + "/payment-methods/" + methodId(customer, visa), session.ownerToken())
                .expectStatus().isNoContent();
        delete("/api/v1/customers/" + customer + "/payment-methods/" + methodId(customer, mastercard),
                session.ownerToken()).expectStatus().isNoContent();
        session.get("/api/v1/customers/" + customer + "/payment-methods").expectBody()
                .jsonPath("$.items.length()").isEqualTo(0);
        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("a client user manages its own customer's cards and gets 404 for another customer's")
    void clientUsers() {
        String own = session.customer("EUR", null);
        String other = session.customer("EUR", null);
        String otherCard = stripe.confirmSetup((String) setup(other).get("clientSecret"), "pm_card_visa");
        session.post("/api/v1/customers/" + other + "/payment-methods/sync", null).expectStatus().isOk();
        String otherCardId = methodId(other, otherCard);
        session.post("/api/v1/customers/" + own + "/users", Map.of("email", "jana@" + own + ".example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "jana@" + own + ".example", TenantSession.PASSWORD)
                .get("accessToken");

        String ownCard = stripe.confirmSetup((String) session.post(http, "/api/v1/customers/" + own
                        + "/payment-methods/setups", null, client).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("clientSecret"), "pm_card_mastercard");
        session.post(http, "/api/v1/customers/" + own + "/payment-methods/sync", null, client).expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].reference").isEqualTo(ownCard);

        for (String path : List.of("/api/v1/customers/" + other + "/payment-methods")) {
            session.get(path, client).expectStatus().isNotFound().expectBody()
                    .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/customer.not_found");
        }
        session.post(http, "/api/v1/customers/" + other + "/payment-methods/setups", null, client)
                .expectStatus().isNotFound();
        session.post(http, "/api/v1/customers/" + other + "/payment-methods/sync", null, client)
                .expectStatus().isNotFound();
        delete("/api/v1/customers/" + other + "/payment-methods/" + otherCardId, client).expectStatus().isNotFound();
        delete("/api/v1/customers/" + own + "/payment-methods/" + otherCardId, client).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment_method.not_found");
        http.put().uri("/api/v1/customers/" + own + "/payment-methods/" + otherCardId + "/default")
                .headers(h -> h.setBearerAuth(client)).exchange().expectStatus().isNotFound();
        assertThat(stripe.requests("POST", "/v1/payment_methods/" + otherCard + "/detach")).isEmpty();
        assertThat(isDefault(other, otherCard)).isTrue();
    }

    @Test
    @DisplayName("another tenant's customer and card ids are 404, and change nothing")
    void otherTenants() {
        String customer = session.customer("EUR", null);
        String card = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_visa");
        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isOk();
        String cardId = methodId(customer, card);

        TenantSession other = TenantSession.fresh(http, bootstrap, database);
        other.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", PaymentProviderIT.STRIPE_SECRET,
                "publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)).expectStatus().isOk();
        other.get("/api/v1/customers/" + customer + "/payment-methods").expectStatus().isNotFound();
        other.post("/api/v1/customers/" + customer + "/payment-methods/setups", null).expectStatus().isNotFound();
        other.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isNotFound();
        other.put("/api/v1/customers/" + customer + "/payment-methods/" + cardId + "/default", Map.of())
                .expectStatus().isNotFound();
        delete("/api/v1/customers/" + customer + "/payment-methods/" + cardId, other.ownerToken())
                .expectStatus().isNotFound();
        String ownCustomer = other.customer("EUR", null);
        delete("/api/v1/customers/" + ownCustomer + "/payment-methods/" + cardId, other.ownerToken())
                .expectStatus().isNotFound();

        assertThat(stripe.requests("POST", "/v1/payment_methods/" + card + "/detach")).isEmpty();
        assertThat(isDefault(customer, card)).isTrue();
    }

    @Test
    @DisplayName("without Stripe connected a set-up is 409; PayPal keeps no saved methods")
    void stripeNotConnected() {
        TenantSession unconnected = TenantSession.fresh(http, bootstrap, database);
        String customer = unconnected.customer("EUR", null);
        unconnected.post("/api/v1/customers/" + customer + "/payment-methods/setups", null)
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment_provider.not_connected");
        assertThat(customerRequests(customer)).isEmpty();
        unconnected.get("/api/v1/customers/" + customer + "/payment-methods").expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("Stripe answering 5xx or resetting the connection is 503, and nothing is stored")
    void stripeFailing() {
        String customer = session.customer("EUR", null);
        // Each outage starts from a closed breaker: three failed attempts of one call, never enough to open it, so
        // every scripted reply is used by the call it is meant for.
        stripe.replies(FakeReply.json(500, "{}"), FakeReply.json(500, "{}"));
        session.post("/api/v1/customers/" + customer + "/payment-methods/setups", null)
                .expectStatus().isEqualTo(503).expectBody()
                .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment.gateway_unavailable");
        assertThat(session.count("SELECT count(*) AS n FROM payment_provider_customer")).isZero();

        String card = stripe.confirmSetup((String) setup(customer).get("clientSecret"), "pm_card_visa");
        stripeApi.circuitBreaker().reset();
        stripe.replies(FakeReply.connectionReset(), FakeReply.connectionReset());
        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null)
                .expectStatus().isEqualTo(503).expectBody()
                .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment.gateway_unavailable");
        assertThat(session.count("SELECT count(*) AS n FROM saved_payment_method")).isZero();

        session.post("/api/v1/customers/" + customer + "/payment-methods/sync", null).expectStatus().isOk();
        String cardId = methodId(customer, card);
        stripeApi.circuitBreaker().reset();
        stripe.replies(FakeReply.json(502, ""), FakeReply.json(502, ""));
        delete("/api/v1/customers/" + customer + "/payment-methods/" + cardId, session.ownerToken())
                .expectStatus().isEqualTo(503);
        assertThat(isDefault(customer, card)).as("kept as it was").isTrue();
    }

    @Test
    @DisplayName("ids that are not UUIDs are 400 and reach nothing")
    void badInput() {
        String customer = session.customer("EUR", null);
        session.post("/api/v1/customers/not-a-uuid/payment-methods/setups", null).expectStatus().isBadRequest();
        session.get("/api/v1/customers/not-a-uuid/payment-methods").expectStatus().isBadRequest();
        delete("/api/v1/customers/" + customer + "/payment-methods/pm_1Pgc75B7WZ01zgkWlHVgdEGJ", session.ownerToken())
                .expectStatus().isBadRequest();
        assertThat(customerRequests("not-a-uuid")).isEmpty();
        assertThat(customerRequests(customer)).isEmpty();
    }

    private Map<String, Object> setup(String customer) {
        return session.created("/api/v1/customers/" + customer + "/payment-methods/setups", null);
    }

    private List<RecordedRequest> customerRequests(String customer) {
        return stripe.requests("POST", "/v1/customers").stream()
                .filter(r -> r.path().equals("/v1/customers"))
                .filter(r -> customer.equals(r.form().get("metadata[hostrail_customer_id]")))
                .toList();
    }

    private String stripeCustomerOf(String customer) {
        return session.text("SELECT reference FROM payment_provider_customer WHERE customer_id = '" + customer + "'");
    }

    private String methodId(String customer, String reference) {
        return session.text("SELECT id::text FROM saved_payment_method WHERE customer_id = '" + customer
                + "' AND reference = '" + reference + "'");
    }

    private boolean isDefault(String customer, String reference) {
        return "true".equals(session.text("SELECT is_default::text FROM saved_payment_method WHERE customer_id = '"
                + customer + "' AND reference = '" + reference + "'"));
    }

    private WebTestClient.ResponseSpec delete(String uri, String token) {
        return http.delete().uri(uri).headers(h -> h.setBearerAuth(token)).exchange();
    }
}
