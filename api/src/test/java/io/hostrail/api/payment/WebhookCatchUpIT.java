package io.hostrail.api.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.webclient.support.FakeReply;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Catching up on Stripe events whose webhooks never arrived: each stored and processed once. */
@HostrailIntegrationTest
class WebhookCatchUpIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;

    @BeforeEach
    void stripeConnected() {
        session = TenantSession.fresh(http, bootstrap, database);
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", PaymentProviderIT.STRIPE_SECRET,
                "publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)).expectStatus().isOk();
    }

    @AfterEach
    void forgetScriptedReplies() {
        FakeProviders.forgetScripts();
    }

    @Test
    @DisplayName("missed events are stored once and processed; a second catch-up stores only what is new")
    void storesMissedEventsOnce() {
        long now = Instant.now().getEpochSecond();
        FakeProviders.stripe().addEvent("customer.created", now - 3600);
        FakeProviders.stripe().addEvent("customer.updated", now - 60);
        String since = Instant.now().minus(Duration.ofHours(2)).toString();

        Map<?, ?> first = catchUp(since);
        int fetched = (Integer) first.get("fetched");
        assertThat(fetched).isGreaterThanOrEqualTo(2);
        assertThat(first.get("stored")).isEqualTo(fetched);
        assertThat(first.get("alreadyKnown")).isEqualTo(0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                session.count("SELECT count(*) AS n FROM webhook_event WHERE status = 'received'") == 0);
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event")).isEqualTo(fetched);
        session.get("/api/v1/webhook-events?status=unhandled&type=customer.created").expectBody()
                .jsonPath("$.items.length()").isNotEmpty();

        FakeProviders.stripe().addEvent("customer.deleted", now);
        Map<?, ?> second = catchUp(since);
        assertThat(second.get("fetched")).isEqualTo(fetched + 1);
        assertThat(second.get("stored")).isEqualTo(1);
        assertThat(second.get("alreadyKnown")).isEqualTo(fetched);
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event")).isEqualTo(fetched + 1);
    }

    @Test
    @DisplayName("Stripe down: 503 and nothing invented; bad requests refused with the field")
    void refusals() {
        FakeReply unavailable = FakeReply.json(503, "{\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}");
        FakeProviders.stripe().replies(unavailable, unavailable);
        session.post("/api/v1/webhook-events/catch-up", Map.of("provider", "stripe")).expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("After 0 events read"));
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event")).isZero();

        session.post("/api/v1/webhook-events/catch-up", Map.of("provider", "paypal")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("provider");
        session.post("/api/v1/webhook-events/catch-up", Map.of("provider", "stripe",
                        "since", Instant.now().minus(Duration.ofDays(31)).toString())).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("since");
        session.post("/api/v1/webhook-events/catch-up", Map.of("provider", "stripe", "since", "yesterday"))
                .expectStatus().isBadRequest();
        TenantSession other = TenantSession.fresh(http, bootstrap, database);
        other.post("/api/v1/webhook-events/catch-up", Map.of("provider", "stripe")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/payment_provider.not_connected");
    }

    private Map<?, ?> catchUp(String since) {
        return session.post("/api/v1/webhook-events/catch-up", Map.of("provider", "stripe", "since", since))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
