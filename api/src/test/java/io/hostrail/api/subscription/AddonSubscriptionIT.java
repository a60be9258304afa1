package io.hostrail.api.subscription;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Add-on subscriptions through the API: ordered for a subscription whose product offers the add-on, billed on their own
 * cycle, and following their parent through suspension, cancellation and termination.
 */
@HostrailIntegrationTest
class AddonSubscriptionIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String backups;
    private String ip;
    private String hosting;
    private String acme;

    @BeforeEach
    void catalog() {
        session = TenantSession.fresh(http, bootstrap, database);
        backups = addon("Daily backups", "3.00", "30.00");
        ip = addon("Dedicated IP", "2.00", "20.00");
        Map<String, Object> pro = new HashMap<>(Map.of("kind", "hosting", "name", "Pro hosting",
                "whmPackage", "pro_10gb", "serverGroup", "eu-shared",
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "10.00")),
                "addonIds", List.of(backups, ip)));
        hosting = (String) session.created("/api/v1/products", pro).get("id");
        acme = session.customer("EUR", null);
        session.grantCredit(acme, "500.00");
    }

    @Test
    @DisplayName("an add-on is ordered for a subscription that offers it, billed on its own cycle, listed with its parent")
    void orderAnAddon() {
        String parent = order(hosting, "monthly", null);
        Map<String, Object> ordered = session.created("/api/v1/subscriptions", Map.of("customerId", acme,
                "productId", backups, "cycle", "annual", "parentSubscriptionId", parent));
        Map<?, ?> addon = (Map<?, ?>) ordered.get("subscription");
        assertThat(addon.get("parentSubscriptionId")).isEqualTo(parent);
        assertThat(addon.get("cycle")).isEqualTo("annual");
        assertThat(addon.get("status")).isEqualTo("active");
        // Its own invoice, for its own year: paid with the customer's credit at once.
        session.get("/api/v1/invoices/" + ordered.get("invoiceId")).expectBody()
                .jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.total").isEqualTo("30.00")
                .jsonPath("$.lines[0].subscriptionId").isEqualTo(addon.get("id"));
        session.get("/api/v1/subscriptions/" + parent).expectBody().jsonPath("$.parentSubscriptionId").doesNotExist();
        session.get("/api/v1/subscriptions?parentSubscriptionId=" + parent).expectBody()
                .jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(addon.get("id"));
        // Provisioning reads the parent from the event.
        assertThat(database.sql("SELECT envelope -> 'data' ->> 'parentId' AS parent FROM outbox"
                        + " WHERE aggregate_id = :id AND event_type = 'subscription.created'")
                .bind("id", UUID.fromString((String) addon.get("id"))).map(row -> row.get("parent", String.class)).one()
                .block(Duration.ofSeconds(10))).isEqualTo(parent);

        // An add-on on a parent still pending (both in one cart) is fine too.
        String unpaid = session.customer("EUR", null);
        String pendingParent = order(unpaid, hosting, "monthly", null);
        session.post("/api/v1/subscriptions", Map.of("customerId", unpaid, "productId", ip, "cycle", "monthly",
                        "parentSubscriptionId", pendingParent)).expectStatus().isCreated().expectBody()
                .jsonPath("$.subscription.status").isEqualTo("pending");
    }

    @Test
    @DisplayName("an add-on without its parent, for another customer's, another tenant's or an unknown subscription, "
            + "or one the parent's product does not offer, is refused and nothing is ordered")
    void refusedAttachments() {
        String parent = order(hosting, "monthly", null);
        String plain = session.monthlyProduct("Plain", "5.00");
        String plainSubscription = order(plain, "monthly", null);
        String beta = session.customer("EUR", null);
        session.grantCredit(beta, "100.00");
        String betaParent = order(beta, hosting, "monthly", null);
        String otherTenant = newTenant(bootstrap, TenantSession.PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", TenantSession.PASSWORD);
        Map<?, ?> otherProduct = session.post(http, "/api/v1/products", Map.of("kind", "service", "name", "Theirs",
                        "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "5.00"))), otherToken)
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> otherCustomer = session.post(http, "/api/v1/customers", Map.of("name", "Theirs",
                "email", "theirs@example.com", "currency", "EUR"), otherToken).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String theirSubscription = (String) ((Map<?, ?>) session.post(http, "/api/v1/subscriptions", Map.of(
                        "customerId", otherCustomer.get("id"), "productId", otherProduct.get("id"), "cycle", "monthly"),
                        otherToken).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("subscription")).get("id");
        long subscriptions = session.count("SELECT count(*) AS n FROM subscription");
        long invoices = session.count("SELECT count(*) AS n FROM invoice");

        refused(Map.of("customerId", acme, "productId", backups, "cycle", "monthly"), "parentSubscriptionId");
        refused(Map.of("customerId", acme, "productId", backups, "cycle", "monthly",
                "parentSubscriptionId", UUID.randomUUID().toString()), "parentSubscriptionId");
        refused(Map.of("customerId", acme, "productId", backups, "cycle", "monthly",
                "parentSubscriptionId", betaParent), "parentSubscriptionId");
        refused(Map.of("customerId", acme, "productId", backups, "cycle", "monthly",
                "parentSubscriptionId", theirSubscription), "parentSubscriptionId");
        refused(Map.of("customerId", acme, "productId", backups, "cycle", "monthly",
                "parentSubscriptionId", plainSubscription), "productId");
        refused(Map.of("customerId", acme, "productId", plain, "cycle", "monthly",
                "parentSubscriptionId", parent), "productId");
        refused(Map.of("customerId", acme, "productId", backups, "cycle", "monthly", "parentSubscriptionId", "nope"),
                "parentSubscriptionId");
        session.post("/api/v1/subscriptions/" + parent + "/cancel", Map.of("atPeriodEnd", true)).expectStatus().isOk();
        session.post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", backups, "cycle", "monthly",
                        "parentSubscriptionId", parent)).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("subscription.state_conflict");

        assertThat(session.count("SELECT count(*) AS n FROM subscription")).isEqualTo(subscriptions);
        assertThat(session.count("SELECT count(*) AS n FROM invoice")).isEqualTo(invoices);
        // Nor can a plan change move an add-on off what its parent offers, or anything else onto an add-on.
        String addon = order(ip, "monthly", order(hosting, "monthly", null));
        session.post("/api/v1/subscriptions/" + addon + "/change-preview", Map.of("productId", plain))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("productId");
        session.post("/api/v1/subscriptions/" + addon + "/change-preview", Map.of("productId", backups))
                .expectStatus().isOk();
        session.post("/api/v1/subscriptions/" + plainSubscription + "/change", Map.of("productId", backups))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("productId");
        session.get("/api/v1/subscriptions/" + plainSubscription).expectBody().jsonPath("$.productId").isEqualTo(plain);
    }

    @Test
    @DisplayName("add-ons are suspended, cancelled and terminated with their parent, and cannot outlive it")
    void followTheParent() {
        String parent = order(hosting, "monthly", null);
        String withParent = order(backups, "monthly", parent);
        String ownReasons = order(ip, "annual", parent);

        // Suspended with the parent; one suspended on its own before stays suspended when the parent comes back.
        session.post("/api/v1/subscriptions/" + ownReasons + "/suspend", Map.of("reason", "Abuse from this IP"))
                .expectStatus().isOk();
        session.post("/api/v1/subscriptions/" + parent + "/suspend", Map.of("reason", "Invoice overdue"))
                .expectStatus().isOk();
        status(withParent, "suspended");
        session.post("/api/v1/subscriptions/" + withParent + "/unsuspend", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(parent));
        session.post("/api/v1/subscriptions/" + parent + "/unsuspend", null).expectStatus().isOk();
        status(withParent, "active");
        status(ownReasons, "suspended");
        session.post("/api/v1/subscriptions/" + ownReasons + "/unsuspend", null).expectStatus().isOk();

        // A cancellation at period end takes each add-on at the end of its own (paid) period, and is withdrawn with it.
        session.post("/api/v1/subscriptions/" + parent + "/cancel", Map.of("atPeriodEnd", true)).expectStatus().isOk();
        session.get("/api/v1/subscriptions/" + withParent).expectBody().jsonPath("$.status").isEqualTo("active")
                .jsonPath("$.cancelAtPeriodEnd").isEqualTo(true);
        session.post("/api/v1/subscriptions/" + ownReasons + "/withdraw-cancellation", null).expectStatus()
                .isEqualTo(409);
        session.post("/api/v1/subscriptions/" + parent + "/withdraw-cancellation", null).expectStatus().isOk();
        session.get("/api/v1/subscriptions/" + ownReasons).expectBody().jsonPath("$.cancelAtPeriodEnd").isEqualTo(false);

        // Cancelled now: every live add-on with it.
        session.post("/api/v1/subscriptions/" + parent + "/cancel", Map.of("atPeriodEnd", false, "reason", "Moving"))
                .expectStatus().isOk();
        status(withParent, "cancelled");
        status(ownReasons, "cancelled");
        session.post("/api/v1/subscriptions/" + parent + "/terminate", null).expectStatus().isOk();
        status(withParent, "terminated");
        status(ownReasons, "terminated");
        assertThat(session.events(withParent)).containsExactly("subscription.created", "subscription.activated",
                "subscription.suspended", "subscription.unsuspended", "subscription.cancellation_scheduled",
                "subscription.cancellation_withdrawn", "subscription.cancelled", "subscription.terminated");
        // Each cascaded change is audited as the person's, naming the parent.
        session.get("/api/v1/audit?targetId=" + withParent).expectBody()
                .jsonPath("$.items[?(@.action == 'subscription.cancelled')].after.reason")
                .value(reasons -> assertThat(reasons.toString()).contains(parent).contains("Moving"));
    }

    @Test
    @DisplayName("an unpaid add-on goes with its parent, even when the parent's cancellation waits for the period end")
    void pendingAddons() {
        String unpaid = session.customer("EUR", null);
        String parent = order(unpaid, hosting, "monthly", null);
        String pending = order(unpaid, backups, "monthly", parent);
        session.post("/api/v1/subscriptions/" + parent + "/activate", null).expectStatus().isOk();
        session.post("/api/v1/subscriptions/" + parent + "/cancel", Map.of("atPeriodEnd", true)).expectStatus().isOk();
        status(pending, "cancelled");
        session.post("/api/v1/subscriptions/" + pending + "/activate", null).expectStatus().isEqualTo(409);
        assertThat(session.events(pending)).containsExactly("subscription.created", "subscription.cancelled");

        String another = order(unpaid, hosting, "monthly", null);
        String alsoPending = order(unpaid, ip, "monthly", another);
        session.post("/api/v1/subscriptions/" + another + "/cancel", Map.of("atPeriodEnd", false)).expectStatus().isOk();
        status(alsoPending, "cancelled");
        session.post("/api/v1/subscriptions/" + another + "/terminate", null).expectStatus().isOk();
        status(alsoPending, "terminated");
    }

    private void status(String subscription, String expected) {
        session.get("/api/v1/subscriptions/" + subscription).expectBody().jsonPath("$.status").isEqualTo(expected);
    }

    private void refused(Map<String, Object> body, String field) {
        session.post("/api/v1/subscriptions", body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("for %s", body).contains(field));
    }

    private String order(String product, String cycle, String parent) {
        return order(acme, product, cycle, parent);
    }

    private String order(String customer, String product, String cycle, String parent) {
        Map<String, Object> body = new HashMap<>(Map.of("customerId", customer, "productId", product, "cycle", cycle));
        if (parent != null) {
            body.put("parentSubscriptionId", parent);
        }
        return (String) ((Map<?, ?>) session.created("/api/v1/subscriptions", body).get("subscription")).get("id");
    }

    private String addon(String name, String monthly, String annual) {
        return (String) session.created("/api/v1/products", Map.of("kind", "addon", "name", name, "prices", List.of(
                Map.of("cycle", "monthly", "currency", "EUR", "amount", monthly),
                Map.of("cycle", "annual", "currency", "EUR", "amount", annual)))).get("id");
    }
}
