package io.hostrail.api.subscription;

import static io.hostrail.api.support.Identities.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Carts through the API: several products in one order, one first invoice, all started by its payment. */
@HostrailIntegrationTest
class OrderIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String hosting;
    private String backups;
    private String acme;
    private String client;

    @BeforeEach
    void shop() {
        session = TenantSession.fresh(http, bootstrap, database);
        hosting = session.monthlyProduct("Hosting", "10.00");
        backups = session.monthlyProduct("Backups", "4.00");
        acme = session.customer("EUR", null);
        session.post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        client = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
    }

    @Test
    @DisplayName("a client orders two products with a coupon for one: one invoice; paying it starts both")
    void clientCart() {
        session.created("/api/v1/coupons", Map.of("code", "HOST50", "kind", "percent", "percent", "50",
                "duration", "once", "productIds", List.of(hosting)));

        Map<?, ?> placed = session.post(http, "/api/v1/orders", Map.of("items", List.of(
                        Map.of("productId", hosting, "cycle", "monthly"),
                        Map.of("productId", backups, "cycle", "monthly", "quantity", 2)),
                "couponCode", "host50"), client).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        List<?> subscriptions = (List<?>) placed.get("subscriptions");
        assertThat(subscriptions).hasSize(2).allSatisfy(s -> assertThat(((Map<?, ?>) s).get("status"))
                .isEqualTo("pending"));
        assertThat(placed.get("invoiceStatus")).isEqualTo("open");
        // 10.00 at half price, and two backups at 4.00.
        assertThat(placed.get("amountDue")).isEqualTo("13.00");
        String invoice = (String) placed.get("invoiceId");
        session.get("/api/v1/invoices/" + invoice).expectBody()
                .jsonPath("$.lines.length()").isEqualTo(2)
                .jsonPath("$.lines[0].discount").isEqualTo("5.00")
                .jsonPath("$.lines[1].discount").isEqualTo("0.00");
        session.get("/api/v1/coupons?limit=10").expectBody().jsonPath("$.items[0].redemptions").isEqualTo(1);

        session.created("/api/v1/invoices/" + invoice + "/payments", Map.of("amount", "13.00",
                "method", "bank_transfer"));
        for (Object s : subscriptions) {
            String id = (String) ((Map<?, ?>) s).get("id");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                    "active".equals(session.get("/api/v1/subscriptions/" + id).expectBody(Map.class).returnResult()
                            .getResponseBody().get("status")));
            assertThat(session.events(id)).contains("subscription.activated");
        }
    }

    @Test
    @DisplayName("staff order for a customer; credit that covers the invoice starts everything at once")
    void staffCartPaidByCredit() {
        session.grantCredit(acme, "50.00");
        Map<?, ?> placed = session.created("/api/v1/orders", Map.of("customerId", acme, "items", List.of(
                Map.of("productId", hosting, "cycle", "monthly"), Map.of("productId", backups, "cycle", "monthly", "quantity", 3))));
        assertThat(placed.get("invoiceStatus")).isEqualTo("paid");
        assertThat((List<?>) placed.get("subscriptions")).allSatisfy(s -> assertThat(((Map<?, ?>) s).get("status"))
                .isEqualTo("active"));
    }

    @Test
    @DisplayName("a bad item, a coupon for nothing ordered, another customer's cart: refused, nothing ordered")
    void refused() {
        session.created("/api/v1/coupons", Map.of("code", "ONLYHOST", "kind", "percent", "percent", "10",
                "duration", "once", "productIds", List.of(hosting)));
        session.post(http, "/api/v1/orders", Map.of("items", List.of(Map.of("productId", hosting, "cycle", "weekly"),
                        Map.of("cycle", "monthly", "quantity", 0))), client)
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields.toString())
                        .contains("items[0].cycle", "items[1].productId", "items[1].quantity"));
        session.post(http, "/api/v1/orders", Map.of("items", List.of()), client).expectStatus().isBadRequest();
        session.post(http, "/api/v1/orders", Map.of("items", List.of(Map.of("productId", hosting, "cycle",
                "monthly"), Map.of("productId", UUID.randomUUID().toString(), "cycle", "monthly"))), client)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field")
                .isEqualTo("items[1].productId");
        session.post(http, "/api/v1/orders", Map.of("items", List.of(Map.of("productId", backups, "cycle",
                "monthly")), "couponCode", "ONLYHOST"), client).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("couponCode");
        String beta = session.customer("EUR", null);
        session.post(http, "/api/v1/orders", Map.of("customerId", beta, "items", List.of(Map.of("productId", hosting,
                "cycle", "monthly"))), client).expectStatus().isBadRequest();
        session.post(http, "/api/v1/orders", "{\"items\": [", client).expectStatus().isBadRequest();
        TenantSession.fresh(http, bootstrap, database).post("/api/v1/orders", Map.of("customerId", acme,
                "items", List.of(Map.of("productId", hosting, "cycle", "monthly")))).expectStatus().isNotFound();

        assertThat(session.count("SELECT count(*) AS n FROM subscription")).isZero();
        assertThat(session.count("SELECT count(*) AS n FROM invoice")).isZero();
        session.get("/api/v1/coupons?limit=10").expectBody().jsonPath("$.items[0].redemptions").isEqualTo(0);
    }
}
