package io.hostrail.api.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.Identities;
import io.hostrail.api.support.SecondInstance;
import io.hostrail.api.support.ShiftedClock;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Dunning through the API, with time moved by {@link ShiftedClock} (both instances see it): reminders before, on and
 * after the due date, each once; suspension and its lifting on payment; termination; paid invoices left alone; a bad
 * policy refused. The policy: reminders 3 days before, on and 3 days after the due date, suspension after 5 days,
 * termination after 10.
 */
@HostrailIntegrationTest
class DunningIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String token;

    @BeforeEach
    void freshTenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        token = session.ownerToken();
        put("/api/v1/settings/dunning", policy(List.of(-3, 0, 3), 5, 10, 0)).expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(1);
    }

    @AfterEach
    void backToNow() {
        ShiftedClock.reset();
    }

    @Test
    @DisplayName("reminders before, on and after the due date are each published once, however often the run runs")
    void remindersOnce() {
        String customer = session.customer("EUR", null);
        String invoice = invoice(customer, ShiftedClock.now().plus(Duration.ofDays(4)));
        Map<?, ?> nothingYet = runAndWait(http);
        assertThat(((Map<?, ?>) nothingYet.get("progress")).get("reminders")).isEqualTo(0);

        advance(Duration.ofDays(1).plusHours(1));
        assertThat(progress(runAndWait(http))).containsEntry("invoices", 1).containsEntry("reminders", 1);
        assertThat(progress(runAndWait(http))).containsEntry("invoices", 0).containsEntry("reminders", 0);

        advance(Duration.ofDays(3));
        assertThat(progress(runAndWait(http))).containsEntry("reminders", 1);
        advance(Duration.ofDays(3));
        assertThat(progress(runAndWait(http))).containsEntry("reminders", 1);
        assertThat(progress(runAndWait(http))).containsEntry("reminders", 0);

        assertThat(reminderKinds(invoice)).containsExactly("before_due", "due", "overdue");
        get("/api/v1/invoices/" + invoice + "/dunning").expectStatus().isOk().expectBody()
                .jsonPath("$.taken.length()").isEqualTo(3)
                .jsonPath("$.taken[0].step").isEqualTo("reminder:-3")
                .jsonPath("$.taken[0].reminderKind").isEqualTo("before_due")
                .jsonPath("$.taken[2].outcome").isEqualTo("done")
                .jsonPath("$.upcoming[0].step").isEqualTo("suspend")
                .jsonPath("$.upcoming[1].step").isEqualTo("terminate");
    }

    @Test
    @DisplayName("two instances running at once send each due reminder once, and skip the reminders it overtook")
    void twoInstancesAtOnce() {
        String customer = session.customer("EUR", null);
        int count = 8;
        List<String> invoices = IntStream.range(0, count).mapToObj(i -> invoice(customer, null)).toList();
        advance(Duration.ofDays(3).plusHours(1));
        WebTestClient other = SecondInstance.http();
        String a = start(http);
        String b = start(other);
        Map<?, ?> doneA = awaitCompleted(a);
        Map<?, ?> doneB = awaitCompleted(b);
        assertThat((Integer) progress(doneA).get("reminders") + (Integer) progress(doneB).get("reminders"))
                .isEqualTo(count);
        assertThat((Integer) progress(doneA).get("skipped") + (Integer) progress(doneB).get("skipped"))
                .isEqualTo(2 * count);
        for (String invoice : invoices) {
            assertThat(reminderKinds(invoice)).containsExactly("overdue");
            get("/api/v1/invoices/" + invoice + "/dunning").expectBody()
                    .jsonPath("$.taken[?(@.outcome == 'skipped')].step").isEqualTo(List.of("reminder:-3", "reminder:0"))
                    .jsonPath("$.taken[?(@.outcome == 'done')].step").isEqualTo(List.of("reminder:3"));
        }
        assertThat(progress(runAndWait(other))).containsEntry("invoices", 0);
    }

    @Test
    @DisplayName("after X days the invoice's subscription is suspended, and paying the invoice unsuspends it")
    void suspendsThenPaymentUnsuspends() {
        String customer = session.customer("EUR", null);
        String product = session.monthlyProduct("Hosting " + UUID.randomUUID(), "10.00");
        Map<?, ?> ordered = order(customer, product);
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");
        String invoice = (String) ordered.get("invoiceId");
        post("/api/v1/subscriptions/" + subscription + "/activate", null).expectStatus().isOk();

        advance(Duration.ofDays(4));
        assertThat(progress(runAndWait(http))).containsEntry("suspended", 0);
        subscriptionStatus(subscription, "active");
        advance(Duration.ofDays(1).plusHours(1));
        assertThat(progress(runAndWait(http))).containsEntry("suspended", 1);
        assertThat(progress(runAndWait(http))).containsEntry("suspended", 0);
        subscriptionStatus(subscription, "suspended");
        assertThat(session.events(subscription)).endsWith("subscription.suspended");
        assertThat(eventReason(subscription, "subscription.suspended")).contains("dunning: invoice INV-");
        get("/api/v1/invoices/" + invoice + "/dunning").expectBody()
                .jsonPath("$.taken[?(@.step == 'suspend')].subscriptionIds[0]").isEqualTo(subscription);

        Map<?, ?> due = get("/api/v1/invoices/" + invoice).expectBody(Map.class).returnResult().getResponseBody();
        post("/api/v1/invoices/" + invoice + "/payments", Map.of("amount", due.get("amountDue"),
                "method", "bank_transfer")).expectStatus().isCreated();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> subscriptionStatus(subscription, "active"));
        assertThat(session.events(subscription)).endsWith("subscription.unsuspended");
        assertThat(session.count("SELECT count(*) AS n FROM dunning_suspension WHERE released_at IS NOT NULL"))
                .isEqualTo(1);

        advance(Duration.ofDays(6));
        assertThat(progress(runAndWait(http))).containsEntry("invoices", 0).containsEntry("terminated", 0);
        subscriptionStatus(subscription, "active");
        get("/api/v1/invoices/" + invoice + "/dunning").expectBody().jsonPath("$.upcoming.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("a subscription staff suspended is not unsuspended by payment; one dunning suspended is")
    void onlyDunningSuspensionsAreLifted() {
        String customer = session.customer("EUR", null);
        String product = session.monthlyProduct("Hosting " + UUID.randomUUID(), "12.00");
        Map<?, ?> byStaff = order(customer, product);
        String staffSuspended = (String) ((Map<?, ?>) byStaff.get("subscription")).get("id");
        post("/api/v1/subscriptions/" + staffSuspended + "/activate", null).expectStatus().isOk();
        post("/api/v1/subscriptions/" + staffSuspended + "/suspend", Map.of("reason", "abuse report"))
                .expectStatus().isOk();
        advance(Duration.ofDays(5).plusHours(1));
        assertThat(progress(runAndWait(http))).containsEntry("invoices", 1).containsEntry("suspended", 0);
        String invoice = (String) byStaff.get("invoiceId");
        Map<?, ?> due = get("/api/v1/invoices/" + invoice).expectBody(Map.class).returnResult().getResponseBody();
        post("/api/v1/invoices/" + invoice + "/payments", Map.of("amount", due.get("amountDue"),
                "method", "bank_transfer")).expectStatus().isCreated();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM processed_event p JOIN outbox o ON o.id = p.event_id "
                        + "WHERE p.consumer = 'dunning-unsuspension' AND o.aggregate_id = '" + invoice + "'"))
                .isEqualTo(1));
        subscriptionStatus(staffSuspended, "suspended");
    }

    @Test
    @DisplayName("after Y days the invoice's subscription is terminated, with its event")
    void terminates() {
        String customer = session.customer("EUR", null);
        String product = session.monthlyProduct("Hosting " + UUID.randomUUID(), "7.00");
        Map<?, ?> ordered = order(customer, product);
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");
        post("/api/v1/subscriptions/" + subscription + "/activate", null).expectStatus().isOk();
        advance(Duration.ofDays(10).plusHours(1));
        assertThat(progress(runAndWait(http))).containsEntry("suspended", 1).containsEntry("terminated", 1)
                .containsEntry("reminders", 1).containsEntry("skipped", 2);
        subscriptionStatus(subscription, "terminated");
        assertThat(session.events(subscription)).endsWith("subscription.suspended", "subscription.terminated");
        assertThat(progress(runAndWait(http))).containsEntry("invoices", 0);
    }

    @Test
    @DisplayName("a paid invoice gets no steps")
    void paidInvoiceLeftAlone() {
        String customer = session.customer("EUR", null);
        session.grantCredit(customer, "50.00");
        String product = session.monthlyProduct("Hosting " + UUID.randomUUID(), "9.00");
        Map<?, ?> ordered = order(customer, product);
        assertThat(ordered.get("invoiceStatus")).isEqualTo("paid");
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");
        advance(Duration.ofDays(11));
        assertThat(progress(runAndWait(http))).containsEntry("invoices", 0).containsEntry("reminders", 0);
        get("/api/v1/invoices/" + ordered.get("invoiceId") + "/dunning").expectBody()
                .jsonPath("$.taken.length()").isEqualTo(0).jsonPath("$.upcoming.length()").isEqualTo(0);
        subscriptionStatus(subscription, "active");
        assertThat(session.count("SELECT count(*) AS n FROM dunning_step")).isZero();
    }

    @Test
    @DisplayName("a bad policy is refused field by field and changes nothing; retry days are stored and returned")
    void badPolicyRefused() {
        put("/api/v1/settings/dunning", policy(List.of(-100, 3, 3), 10, 5, 1)).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("dunning_policy.invalid")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("reminderOffsets", "terminateAfterDays"));
        Map<String, Object> badRetries = new HashMap<>(policy(List.of(0), 3, null, 1));
        badRetries.put("retryDays", List.of(0, 61));
        put("/api/v1/settings/dunning", badRetries).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("retryDays");
        put("/api/v1/settings/dunning", Map.of("reminderOffsets", List.of(1))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("version");
        get("/api/v1/settings/dunning").expectStatus().isOk().expectBody()
                .jsonPath("$.reminderOffsets").isEqualTo(List.of(-3, 0, 3))
                .jsonPath("$.retryDays").isEqualTo(List.of())
                .jsonPath("$.suspendAfterDays").isEqualTo(5)
                .jsonPath("$.terminateAfterDays").isEqualTo(10)
                .jsonPath("$.version").isEqualTo(1);
        put("/api/v1/settings/dunning", policy(List.of(-3, 0, 3), 5, 10, 0)).expectStatus().isEqualTo(409);
        Map<String, Object> never = new HashMap<>(policy(List.of(7), null, null, 1));
        never.put("retryDays", List.of(7, 2));
        put("/api/v1/settings/dunning", never).expectStatus().isOk().expectBody()
                .jsonPath("$.retryDays").isEqualTo(List.of(2, 7))
                .jsonPath("$.suspendAfterDays").doesNotExist()
                .jsonPath("$.version").isEqualTo(2);
    }

    @Test
    @DisplayName("another tenant's invoice and run are not found; a client user cannot start runs")
    void isolation() {
        String customer = session.customer("EUR", null);
        String invoice = invoice(customer, null);
        String run = start(http);
        awaitCompleted(run);
        TenantSession other = TenantSession.fresh(http, bootstrap, database);
        other.get("/api/v1/invoices/" + invoice + "/dunning").expectStatus().isNotFound();
        other.get("/api/v1/dunning-runs/" + run).expectStatus().isNotFound();
        Map<String, Object> client = session.created("/api/v1/customers/" + customer + "/users",
                Map.of("email", "client-" + UUID.randomUUID() + "@example.com",
                        "password", TenantSession.PASSWORD));
        String clientToken = Identities.accessToken(http, session.tenant(), (String) client.get("email"),
                TenantSession.PASSWORD);
        session.post(http, "/api/v1/dunning-runs", null, clientToken).expectStatus().isForbidden();
        session.get("/api/v1/invoices/" + invoice + "/dunning", clientToken).expectStatus().isNotFound();
        session.get("/api/v1/dunning-runs/" + run, clientToken).expectStatus().isNotFound();
        session.get("/api/v1/settings/dunning", clientToken).expectStatus().isForbidden();
    }

    // --- helpers

    private static Map<String, Object> policy(List<Integer> reminders, Integer suspend, Integer terminate, long version) {
        Map<String, Object> body = new HashMap<>();
        body.put("reminderOffsets", reminders);
        // Retries charge saved cards (OffSessionChargeIT); these tests count reminders and actions.
        body.put("retryDays", List.of());
        body.put("suspendAfterDays", suspend);
        body.put("terminateAfterDays", terminate);
        body.put("version", version);
        return body;
    }

    /** Moves time on both instances; the owner signs in again, as the token from before has expired. */
    private void advance(Duration duration) {
        ShiftedClock.advance(duration);
        token = Identities.accessToken(http, session.tenant(), "owner@" + session.tenant() + ".test",
                TenantSession.PASSWORD);
    }

    /** A finalized invoice of 5.00 due at {@code dueAt}, or when it is finalized when that is null. */
    private String invoice(String customer, Instant dueAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("customerId", customer);
        if (dueAt != null) {
            body.put("dueAt", dueAt.toString());
        }
        body.put("lines", List.of(Map.of("description", "Consulting", "quantity", 1, "unitPrice", "5.00")));
        Map<?, ?> draft = post("/api/v1/invoices", body).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        String id = (String) draft.get("id");
        post("/api/v1/invoices/" + id + "/finalize", null).expectStatus().isOk();
        return id;
    }

    private Map<?, ?> order(String customer, String product) {
        return post("/api/v1/subscriptions", Map.of("customerId", customer, "productId", product, "cycle", "monthly",
                "quantity", 1)).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private void subscriptionStatus(String subscription, String status) {
        get("/api/v1/subscriptions/" + subscription).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo(status);
    }

    private List<String> reminderKinds(String invoice) {
        return database.sql("SELECT envelope -> 'data' ->> 'kind' AS kind FROM outbox WHERE aggregate_id = :id "
                        + "AND event_type = 'invoice.payment_reminder' ORDER BY id")
                .bind("id", UUID.fromString(invoice)).map(row -> row.get("kind", String.class)).all().collectList()
                .block(Duration.ofSeconds(10));
    }

    private String eventReason(String aggregate, String type) {
        return database.sql("SELECT envelope -> 'data' ->> 'reason' AS reason FROM outbox WHERE aggregate_id = :id "
                        + "AND event_type = :type ORDER BY id DESC LIMIT 1")
                .bind("id", UUID.fromString(aggregate)).bind("type", type).map(row -> row.get("reason", String.class))
                .one().block(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> progress(Map<?, ?> run) {
        return (Map<String, Object>) run.get("progress");
    }

    private String start(WebTestClient client) {
        Map<?, ?> started = session.post(client, "/api/v1/dunning-runs", null, token).expectStatus().isAccepted()
                .expectHeader().exists("Location").expectBody(Map.class).returnResult().getResponseBody();
        return (String) started.get("id");
    }

    private Map<?, ?> runAndWait(WebTestClient client) {
        return awaitCompleted(start(client));
    }

    private Map<?, ?> awaitCompleted(String id) {
        Map<?, ?>[] run = new Map<?, ?>[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = get("/api/v1/dunning-runs/" + id).expectStatus().isOk().expectBody(Map.class).returnResult()
                    .getResponseBody();
            return !"running".equals(run[0].get("status"));
        });
        assertThat(run[0].get("status")).as("run %s: %s", id, run[0].get("lastError")).isEqualTo("completed");
        assertThat(progress(run[0])).containsEntry("failed", 0);
        return run[0];
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return session.get(uri, token);
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return session.post(http, uri, body, token);
    }

    private WebTestClient.ResponseSpec put(String uri, Object body) {
        return http.put().uri(uri).headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }
}
