package io.hostrail.api.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.adapters.json.EventEnvelopeCodec;
import io.hostrail.adapters.r2dbc.payment.R2dbcWebhookEvents;
import io.hostrail.api.HostrailApplication;
import io.hostrail.api.support.BillingFixtures;
import io.hostrail.api.support.FakeVies;
import io.hostrail.api.support.TenantSession;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.infra.embedded.EmbeddedStackInitializer;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentEvents.WebhookReceived;
import io.hostrail.payment.model.StripeSignature;
import io.hostrail.payment.model.WebhookEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Stripe webhook ingest under load, next to the raw ceiling of the database it writes to (issue 5). A load generator
 * in this JVM (Reactor Netty, over the loopback to the server's real port) posts signed, distinct Stripe events (a
 * {@code payment_intent.created}, a {@code charge.succeeded} and a {@code payment_intent.succeeded} per invoice, of
 * the sizes Stripe sends; the last pays an open invoice, the other two are stored and counted as unhandled), signed
 * before the clock starts: signing is the sender's cost.
 *
 * <p>Phases, in one JVM and one database:
 * <ol>
 *   <li>a warm-up, so the JIT has compiled the receive path, as on a server that has been up a while;</li>
 *   <li>the ceiling: the same rows the receiver writes (a {@code webhook_event} row and its {@code webhook.received}
 *       outbox row, the same payloads and columns, one transaction per event), inserted straight into the same
 *       PostgreSQL over plain JDBC as the application's role, as pgbench would (pgbench is not among the embedded
 *       binaries); and the same two writes through the application's own unit of work and R2DBC pool, which shows what
 *       the driver and transaction machinery cost before HTTP, signatures and secrets do;</li>
 *   <li>closed loop: {@code -Dbenchmark.concurrency} deliveries in flight, each sent when one is answered; the sustained
 *       accepted rate and its p50 and p99;</li>
 *   <li>open loop at half the ceiling: deliveries sent at a fixed rate whatever the server does, each one's latency
 *       counted from when it was due to be sent, so a stall shows in every delivery it delays (no coordinated
 *       omission);</li>
 *   <li>a slice of the accepted deliveries sent again, freshly signed: each is acknowledged as a duplicate.</li>
 * </ol>
 * Then it waits until every delivery has been processed and checks that each was processed exactly once: one stored
 * row per accepted event id, each processed in one attempt, one payment per Stripe reference, every invoice paid once,
 * one {@code webhook.received} per stored event, {@code hostrail.webhooks.processed} counting each once.
 *
 * <p>Not part of the normal suite; run it with the {@code benchmark} profile, see docs/benchmarks.md. Speed is
 * recorded (a row printed and appended to {@code api/target/benchmark/stripe-webhooks.md}), never asserted.
 */
// As BillingRunBenchmark: the application as it runs in production, on the embedded servers, without the test-only
// consumer that would read every event.
@SpringBootTest(classes = HostrailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hostrail.instance-id=benchmark")
@ActiveProfiles("test")
@ContextConfiguration(initializers = {EmbeddedStackInitializer.class, FakeVies.Initializer.class})
@AutoConfigureWebTestClient(timeout = "30s")
class StripeWebhookBenchmark {

    private static final String SECRET = "whsec_benchmark0123456789abcdefABCDEF";
    /** 9.99 plus 19 % VAT: what each seeded invoice asks, and what its payment_intent.succeeded pays. */
    private static final long INVOICE_TOTAL_MINOR = 11_89;
    private static final Payment.Provider STRIPE = Payment.Provider.STRIPE;

    @LocalServerPort int port;
    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired BillingRunService billingRuns;
    @Autowired UnitOfWork unitOfWork;
    @Autowired DomainEvents domainEvents;
    @Autowired IdGenerator ids;
    @Autowired EventEnvelopeCodec codec;
    @Autowired MeterRegistry meters;
    @Value("${spring.flyway.url}") String jdbcUrl;
    @Value("${spring.r2dbc.username}") String appRole;
    @Value("${spring.r2dbc.password}") String appPassword;
    @Value("${spring.r2dbc.pool.max-size}") int poolSize;
    @Value("${hostrail.events.source}") String eventSource;

    /** A Stripe event as it is sent: its id, its type, the raw JSON, and whether Hostrail acts on it. */
    private record StripeEvent(String eventId, String type, String payload, boolean actedOn) {
    }

    /** An event signed for its delivery, at the time of signing. */
    private record Delivery(StripeEvent event, byte[] body, String signature) {
    }

    /** How a delivery was answered. */
    private record Answer(int status, boolean duplicate) {
    }

    /** What a timed phase did and used. Latencies in nanoseconds, one per event, sorted. */
    private record Phase(String name, int events, double seconds, long[] latencies, int accepted,
            int acceptedActedOn, int duplicates, List<String> refusals, double jvmCpu, double postgresCpu, double loadBefore, double loadAfter) {

        double perSecond() {
            return events / seconds;
        }

        double percentileMillis(double percentile) {
            int index = (int) Math.ceil(percentile / 100 * latencies.length) - 1;
            return latencies[Math.clamp(index, 0, latencies.length - 1)] / 1e6;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s: %,d in %.2f s, %,.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
                            + " CPU JVM %.1f s PostgreSQL %.1f s, load %.2f → %.2f", name, events, seconds, perSecond(),
                    percentileMillis(50), percentileMillis(99), latencies[latencies.length - 1] / 1e6, jvmCpu,
                    postgresCpu, loadBefore, loadAfter);
        }
    }

    @Test
    void stripeWebhookIngest() throws Exception {
        int concurrency = Integer.getInteger("benchmark.concurrency", 64);
        int warmupInvoices = Integer.getInteger("benchmark.warmup-invoices", 2_000);
        int closedInvoices = Integer.getInteger("benchmark.invoices", 6_000);
        int openInvoices = Integer.getInteger("benchmark.open-invoices", 10_000);
        int openSeconds = Integer.getInteger("benchmark.open-seconds", 15);
        int ceilingConnections = Integer.getInteger("benchmark.ceiling-connections", poolSize);
        int duplicateSlice = Integer.getInteger("benchmark.duplicates", 1_000);

        TenantSession merchant = merchant();
        List<String> invoices = seedOpenInvoices(merchant, warmupInvoices + closedInvoices + openInvoices);
        List<StripeEvent> warmupEvents = events(invoices.subList(0, warmupInvoices));
        List<StripeEvent> closedEvents = events(invoices.subList(warmupInvoices, warmupInvoices + closedInvoices));
        List<StripeEvent> openSupply = events(invoices.subList(warmupInvoices + closedInvoices, invoices.size()));
        awaitOutboxPublished();
        double processedBefore = processedCount();
        long expectedProcessed = 0;

        Phase warmup = closedLoop("warm-up", merchant.tenantId(), sign(warmupEvents), concurrency);
        expectedProcessed += warmupEvents.size();
        awaitProcessed(merchant, processedBefore + expectedProcessed);

        // The ceilings write into tenants of their own, so the merchant's rows stay exactly what was delivered. Each
        // runs once unmeasured first, for the JIT. Their rows are published and processed like any other (payments for
        // invoices those tenants do not have: failed), before the next phase starts.
        String ceilingTenant = TenantSession.fresh(http, bootstrap, database).tenantId();
        jdbcInserts("raw inserts warm-up", ceilingTenant, rows(ceilingTenant, warmupEvents), ceilingConnections);
        Phase rawCeiling = jdbcInserts("raw inserts (JDBC)", ceilingTenant, rows(ceilingTenant, closedEvents),
                ceilingConnections);
        expectedProcessed += warmupEvents.size() + closedEvents.size();
        awaitProcessed(merchant, processedBefore + expectedProcessed);
        String unitOfWorkTenant = TenantSession.fresh(http, bootstrap, database).tenantId();
        receiverWrites("receiver's writes warm-up", unitOfWorkTenant, warmupEvents, concurrency);
        Phase receiverWrites = receiverWrites("receiver's writes (R2DBC)", unitOfWorkTenant, closedEvents,
                concurrency);
        expectedProcessed += warmupEvents.size() + closedEvents.size();
        awaitProcessed(merchant, processedBefore + expectedProcessed);

        Phase closed = closedLoop("closed loop", merchant.tenantId(), sign(closedEvents), concurrency);
        long drainStart = System.nanoTime();
        expectedProcessed += closedEvents.size();
        awaitProcessed(merchant, processedBefore + expectedProcessed);
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

        double halfCeiling = rawCeiling.perSecond() / 2;
        int openCount = (int) Math.min(openSupply.size(), Math.round(halfCeiling * openSeconds));
        List<StripeEvent> openEvents = openSupply.subList(0, openCount);
        Phase open = openLoop("open loop at half the ceiling", merchant.tenantId(), sign(openEvents), halfCeiling);
        // Overloaded, the server may refuse deliveries (the pool's acquire timeout): Stripe retries those, and only
        // what was accepted must be processed.
        expectedProcessed += open.accepted();

        List<StripeEvent> resent = closedEvents.subList(0, Math.min(duplicateSlice, closedEvents.size()));
        Phase duplicates = closedLoop("duplicates", merchant.tenantId(), sign(resent), concurrency);
        awaitProcessed(merchant, processedBefore + expectedProcessed);

        for (Phase phase : List.of(warmup, closed)) {
            assertThat(phase.refusals()).as(phase.name()).isEmpty();
            assertThat(phase.accepted()).as(phase.name() + ": accepted as new").isEqualTo(phase.events());
        }
        assertThat(open.accepted() + open.refusals().size()).as("open loop: every delivery answered")
                .isEqualTo(open.events());
        assertThat(duplicates.refusals()).isEmpty();
        assertThat(duplicates.duplicates()).as("resent deliveries acknowledged as duplicates").isEqualTo(resent.size());
        verifyProcessedOnce(merchant, warmup.accepted() + closed.accepted() + open.accepted(),
                warmup.acceptedActedOn() + closed.acceptedActedOn() + open.acceptedActedOn());
        assertThat(processedCount() - processedBefore).as("hostrail.webhooks.processed, each event once")
                .isEqualTo((double) expectedProcessed);

        List<StripeEvent> sent = Stream.of(warmupEvents, closedEvents, openEvents).flatMap(List::stream).toList();
        report(sent, concurrency, ceilingConnections, warmup, rawCeiling, receiverWrites, closed, drainSeconds, open,
                duplicates);
    }

    // --- Set-up ---

    /** A tenant with the Stripe endpoint set up, a 19 % tax rule and a 9.99 monthly product. */
    private TenantSession merchant() {
        TenantSession merchant = TenantSession.fresh(http, bootstrap, database);
        merchant.put("/api/v1/settings/payment-providers/stripe/webhook-secrets",
                Map.of("webhookSecrets", List.of(SECRET))).expectStatus().isNoContent();
        merchant.post("/api/v1/tax-rules", Map.of("name", "Umsatzsteuer", "country", "DE", "percent", "19"))
                .expectStatus().isCreated();
        merchant.post("/api/v1/products", new HashMap<>(Map.of("kind", "service", "name", "Hosting Pro",
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "9.99")))))
                .expectStatus().isCreated();
        return merchant;
    }

    /** {@code count} open invoices of 11.89, made by a billing run over seeded subscriptions; their ids. */
    private List<String> seedOpenInvoices(TenantSession merchant, int count) {
        BillingFixtures fixtures = new BillingFixtures(database, merchant.tenantId());
        String product = fixtures.value("SELECT id FROM product");
        fixtures.customers(Math.max(1, count / 10), "DE");
        fixtures.monthlySubscriptions(product, count);
        BillingRun run = billingRuns.startScheduled(new TenantId(UUID.fromString(merchant.tenantId())))
                .flatMap(billingRuns::execute).block(Duration.ofMinutes(30));
        assertThat(run.status()).as("last error: %s", run.lastError()).isEqualTo(BillingRun.Status.COMPLETED);
        List<String> invoices = database.sql("SET LOCAL hostrail.tenant_id = '" + merchant.tenantId() + "';\n"
                        + "SELECT id FROM invoice WHERE status = 'open' AND total_minor = " + INVOICE_TOTAL_MINOR
                        + " ORDER BY id")
                .map(row -> row.get("id", UUID.class).toString()).all().collectList().block(Duration.ofMinutes(2));
        assertThat(invoices).hasSize(count);
        return invoices;
    }

    /**
     * Three events per invoice, as Stripe sends them for a card payment: the intent created, the charge succeeded (both
     * stored and counted, not acted on), the intent succeeded (pays the invoice).
     */
    private static List<StripeEvent> events(List<String> invoices) {
        List<StripeEvent> events = new ArrayList<>(invoices.size() * 3);
        long created = Instant.now().getEpochSecond();
        for (String invoice : invoices) {
            String intent = stripeId("pi_");
            String charge = stripeId("ch_");
            String customer = stripeId("cus_");
            String method = stripeId("pm_");
            events.add(event("payment_intent.created", false, created,
                    paymentIntent(intent, invoice, customer, method, null, "requires_payment_method", 0, created)));
            events.add(event("charge.succeeded", false, created, charge(charge, intent, invoice, customer, method,
                    created)));
            events.add(event("payment_intent.succeeded", true, created,
                    paymentIntent(intent, invoice, customer, method, charge, "succeeded", INVOICE_TOTAL_MINOR, created)));
        }
        return events;
    }

    private static StripeEvent event(String type, boolean actedOn, long created, String object) {
        String id = stripeId("evt_");
        String payload = """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "2024-06-20",
                  "created": %d,
                  "data": {
                    "object": %s
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {
                    "id": "%s",
                    "idempotency_key": "%s"
                  },
                  "type": "%s"
                }""".formatted(id, created, object, stripeId("req_"), UUID.randomUUID(), type);
        return new StripeEvent(id, type, payload, actedOn);
    }

    /** A PaymentIntent with the fields Stripe's API version 2024-06-20 sends. */
    private static String paymentIntent(String id, String invoice, String customer, String method, String charge,
            String status, long received, long created) {
        return """
                {
                      "id": "%1$s",
                      "object": "payment_intent",
                      "amount": %2$d,
                      "amount_capturable": 0,
                      "amount_details": {
                        "tip": {}
                      },
                      "amount_received": %3$d,
                      "application": null,
                      "application_fee_amount": null,
                      "automatic_payment_methods": null,
                      "canceled_at": null,
                      "cancellation_reason": null,
                      "capture_method": "automatic",
                      "client_secret": "%1$s_secret_%4$s",
                      "confirmation_method": "automatic",
                      "created": %5$d,
                      "currency": "eur",
                      "customer": "%6$s",
                      "description": "Hostrail invoice %7$s",
                      "invoice": null,
                      "last_payment_error": null,
                      "latest_charge": %8$s,
                      "livemode": false,
                      "metadata": {
                        "invoice_id": "%7$s"
                      },
                      "next_action": null,
                      "on_behalf_of": null,
                      "payment_method": "%9$s",
                      "payment_method_configuration_details": null,
                      "payment_method_options": {
                        "card": {
                          "installments": null,
                          "mandate_options": null,
                          "network": null,
                          "request_three_d_secure": "automatic"
                        }
                      },
                      "payment_method_types": [
                        "card"
                      ],
                      "processing": null,
                      "receipt_email": null,
                      "review": null,
                      "setup_future_usage": null,
                      "shipping": null,
                      "source": null,
                      "statement_descriptor": null,
                      "statement_descriptor_suffix": null,
                      "status": "%10$s",
                      "transfer_data": null,
                      "transfer_group": null
                    }""".formatted(id, INVOICE_TOTAL_MINOR, received, randomAlphanumeric(24), created, customer,
                invoice, charge == null ? "null" : "\"" + charge + "\"", method, status);
    }

    /** A Charge with the fields Stripe's API version 2024-06-20 sends for a card payment. */
    private static String charge(String id, String intent, String invoice, String customer, String method,
            long created) {
        return """
                {
                      "id": "%1$s",
                      "object": "charge",
                      "amount": %2$d,
                      "amount_captured": %2$d,
                      "amount_refunded": 0,
                      "application": null,
                      "application_fee": null,
                      "application_fee_amount": null,
                      "balance_transaction": "%3$s",
                      "billing_details": {
                        "address": {
                          "city": "Berlin",
                          "country": "DE",
                          "line1": "Hauptstraße 1",
                          "line2": null,
                          "postal_code": "10115",
                          "state": null
                        },
                        "email": "billing@example.com",
                        "name": "Jana Novak",
                        "phone": null
                      },
                      "calculated_statement_descriptor": "HOSTRAIL",
                      "captured": true,
                      "created": %4$d,
                      "currency": "eur",
                      "customer": "%5$s",
                      "description": "Hostrail invoice %6$s",
                      "disputed": false,
                      "failure_balance_transaction": null,
                      "failure_code": null,
                      "failure_message": null,
                      "fraud_details": {},
                      "livemode": false,
                      "metadata": {
                        "invoice_id": "%6$s"
                      },
                      "outcome": {
                        "network_status": "approved_by_network",
                        "reason": null,
                        "risk_level": "normal",
                        "risk_score": 32,
                        "seller_message": "Payment complete.",
                        "type": "authorized"
                      },
                      "paid": true,
                      "payment_intent": "%7$s",
                      "payment_method": "%8$s",
                      "payment_method_details": {
                        "card": {
                          "amount_authorized": %2$d,
                          "brand": "visa",
                          "checks": {
                            "address_line1_check": "pass",
                            "address_postal_code_check": "pass",
                            "cvc_check": "pass"
                          },
                          "country": "DE",
                          "exp_month": 8,
                          "exp_year": 2028,
                          "fingerprint": "%9$s",
                          "funding": "credit",
                          "last4": "4242",
                          "network": "visa",
                          "three_d_secure": null,
                          "wallet": null
                        },
                        "type": "card"
                      },
                      "receipt_email": null,
                      "receipt_url": "https://pay.stripe.com/receipts/payment/%10$s",
                      "refunded": false,
                      "review": null,
                      "shipping": null,
                      "source_transfer": null,
                      "statement_descriptor": null,
                      "statement_descriptor_suffix": null,
                      "status": "succeeded",
                      "transfer_data": null,
                      "transfer_group": null
                    }""".formatted(id, INVOICE_TOTAL_MINOR, stripeId("txn_"), created, customer, invoice, intent,
                method, randomAlphanumeric(16), randomAlphanumeric(96));
    }

    /** An id shaped like Stripe's: the prefix, then 24 letters and digits. */
    private static String stripeId(String prefix) {
        return prefix + randomAlphanumeric(24);
    }

    private static String randomAlphanumeric(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Signs the events now, as Stripe would at sending; the timestamp must be within 300 s when they arrive. */
    private static List<Delivery> sign(List<StripeEvent> events) {
        long now = Instant.now().getEpochSecond();
        return events.stream().map(event -> {
            byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
            return new Delivery(event, body, StripeSignature.header(SECRET, now, body));
        }).toList();
    }

    // --- Load generator ---

    private Mono<Answer> post(HttpClient client, String tenantId, Delivery delivery) {
        return client.post().uri("/api/v1/webhooks/stripe/" + tenantId)
                .send((request, outbound) -> {
                    request.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(delivery.body().length))
                            .header("Stripe-Signature", delivery.signature());
                    return outbound.sendByteArray(Mono.just(delivery.body()));
                })
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), text.contains("\"duplicate\":true"))));
    }

    /** Tallies answers: 2xx new, 2xx duplicate, anything else refused (with why). */
    private static final class Tally {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger acceptedActedOn = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();

        void answer(Delivery delivery, Answer answer) {
            if (answer.status() / 100 != 2) {
                refusals.add(delivery.event().eventId() + ": HTTP " + answer.status());
            } else if (answer.duplicate()) {
                duplicates.incrementAndGet();
            } else {
                accepted.incrementAndGet();
                if (delivery.event().actedOn()) {
                    acceptedActedOn.incrementAndGet();
                }
            }
        }

        void failure(Delivery delivery, Throwable e) {
            refusals.add(delivery.event().eventId() + ": " + e);
        }
    }

    /** {@code concurrency} deliveries in flight; a delivery's latency runs from its sending to its answer. */
    private Phase closedLoop(String name, String tenantId, List<Delivery> deliveries, int concurrency) {
        ConnectionProvider connections = ConnectionProvider.builder("benchmark-closed")
                .maxConnections(concurrency).pendingAcquireMaxCount(-1).build();
        HttpClient client = HttpClient.create(connections).baseUrl("http://127.0.0.1:" + port);
        long[] latencies = new long[deliveries.size()];
        Tally tally = new Tally();
        try {
            Usage usage = Usage.start(this);
            long start = System.nanoTime();
            Flux.range(0, deliveries.size())
                    .flatMap(i -> Mono.defer(() -> {
                        long sent = System.nanoTime();
                        Delivery delivery = deliveries.get(i);
                        return post(client, tenantId, delivery)
                                .doOnNext(answer -> tally.answer(delivery, answer))
                                .onErrorResume(e -> {
                                    tally.failure(delivery, e);
                                    return Mono.empty();
                                })
                                .doFinally(signal -> latencies[i] = System.nanoTime() - sent);
                    }), concurrency)
                    .then().block(Duration.ofMinutes(30));
            return usage.phase(name, deliveries.size(), System.nanoTime() - start, latencies, tally);
        } finally {
            connections.dispose();
        }
    }

    /**
     * Deliveries sent at {@code perSecond} whatever the server does: a pacing thread sends each when it is due, and its
     * latency runs from then, so a delivery held up behind a slow one counts the wait too.
     */
    private Phase openLoop(String name, String tenantId, List<Delivery> deliveries, double perSecond)
            throws InterruptedException {
        // Enough connections that the generator never holds a delivery back for want of one.
        ConnectionProvider connections = ConnectionProvider.builder("benchmark-open")
                .maxConnections(Integer.getInteger("benchmark.open-connections", 512)).pendingAcquireMaxCount(-1)
                .build();
        HttpClient client = HttpClient.create(connections).baseUrl("http://127.0.0.1:" + port);
        int n = deliveries.size();
        long[] latencies = new long[n];
        Tally tally = new Tally();
        CountDownLatch answered = new CountDownLatch(n);
        long interval = Math.round(1e9 / perSecond);
        try {
            Usage usage = Usage.start(this);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            Thread pacer = Thread.ofPlatform().name("benchmark-pacer").start(() -> {
                for (int i = 0; i < n; i++) {
                    long due = start + i * interval;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    int index = i;
                    Delivery delivery = deliveries.get(i);
                    post(client, tenantId, delivery).subscribe(
                            answer -> tally.answer(delivery, answer),
                            e -> {
                                tally.failure(delivery, e);
                                latencies[index] = System.nanoTime() - due;
                                answered.countDown();
                            },
                            () -> {
                                latencies[index] = System.nanoTime() - due;
                                answered.countDown();
                            });
                }
            });
            assertThat(answered.await(30, TimeUnit.MINUTES)).isTrue();
            pacer.join();
            return usage.phase(name, n, System.nanoTime() - start, latencies, tally);
        } finally {
            connections.dispose();
        }
    }

    // --- The ceiling ---

    /** A row pair the receiver writes for an event, values made before the clock starts. */
    private record Rows(StripeEvent event, UUID webhookId, UUID outboxId, Instant at, String envelope) {
    }

    private List<Rows> rows(String tenantId, List<StripeEvent> events) {
        UUID tenant = UUID.fromString(tenantId);
        return events.stream().map(event -> {
            UUID webhookId = ids.newId();
            UUID outboxId = ids.newId();
            Instant at = Instant.now();
            WebhookReceived received = new WebhookReceived(webhookId, STRIPE.wireName(), event.eventId(), event.type());
            String envelope = codec.toJson(new EventEnvelope(outboxId, received.type(), tenant, webhookId, at,
                    eventSource, received.version(), codec.dataOf(received)));
            return new Rows(event, webhookId, outboxId, at, envelope);
        }).toList();
    }

    /**
     * The same rows inserted as the application's role over plain JDBC, one transaction per event on each of
     * {@code connections} connections: the tenant set for row-level security, the {@code webhook_event} row (the same
     * statement as the receiver's), its outbox row, commit. What the database can take, with no HTTP, signature check,
     * secret lookup or reactive driver in front of it.
     */
    private Phase jdbcInserts(String name, String tenantId, List<Rows> rows, int connections) throws Exception {
        List<Connection> opened = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Connection connection = DriverManager.getConnection(jdbcUrl, appRole, appPassword);
            connection.setAutoCommit(false);
            opened.add(connection);
        }
        long[] latencies = new long[rows.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(connections);
        try {
            Usage usage = Usage.start(this);
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (Connection connection : opened) {
                running.add(workers.submit(() -> {
                    insertRows(connection, tenantId, rows, next, latencies);
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
            Tally tally = new Tally();
            tally.accepted.set(rows.size());
            return usage.phase(name, rows.size(), System.nanoTime() - start, latencies, tally);
        } finally {
            workers.shutdownNow();
            for (Connection connection : opened) {
                connection.close();
            }
        }
    }

    private static void insertRows(Connection connection, String tenantId, List<Rows> rows, AtomicInteger next,
            long[] latencies) throws SQLException {
        UUID tenant = UUID.fromString(tenantId);
        try (PreparedStatement setTenant = connection.prepareStatement(
                        "SELECT set_config('hostrail.tenant_id', ?, true)");
                PreparedStatement webhook = connection.prepareStatement("""
                        INSERT INTO webhook_event (id, tenant_id, provider, event_id, event_type, payload, received_at,
                            status, attempts)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                        ON CONFLICT (tenant_id, provider, event_id) DO NOTHING
                        """);
                PreparedStatement outbox = connection.prepareStatement("""
                        INSERT INTO outbox (id, tenant_id, aggregate_id, event_type, occurred_at, envelope)
                        VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))
                        """)) {
            for (int i = next.getAndIncrement(); i < rows.size(); i = next.getAndIncrement()) {
                long start = System.nanoTime();
                Rows row = rows.get(i);
                OffsetDateTime at = row.at().atOffset(ZoneOffset.UTC);
                setTenant.setString(1, tenantId);
                setTenant.executeQuery().close();
                webhook.setObject(1, row.webhookId());
                webhook.setObject(2, tenant);
                webhook.setString(3, STRIPE.wireName());
                webhook.setString(4, row.event().eventId());
                webhook.setString(5, row.event().type());
                webhook.setString(6, row.event().payload());
                webhook.setObject(7, at);
                webhook.setString(8, WebhookEvent.Status.RECEIVED.wireName());
                assertThat(webhook.executeUpdate()).isEqualTo(1);
                outbox.setObject(1, row.outboxId());
                outbox.setObject(2, tenant);
                outbox.setObject(3, row.webhookId());
                outbox.setString(4, "webhook.received");
                outbox.setObject(5, at);
                outbox.setString(6, row.envelope());
                outbox.executeUpdate();
                connection.commit();
                latencies[i] = System.nanoTime() - start;
            }
        }
    }

    /**
     * The receiver's two writes, through its own adapters, unit of work (one transaction that first sets the tenant)
     * and R2DBC pool, {@code concurrency} at a time: the ingest path without HTTP, the signature and the secret.
     */
    private Phase receiverWrites(String name, String tenantId, List<StripeEvent> events, int concurrency) {
        TenantId tenant = new TenantId(UUID.fromString(tenantId));
        R2dbcWebhookEvents webhooks = new R2dbcWebhookEvents(database);
        long[] latencies = new long[events.size()];
        Tally tally = new Tally();
        Usage usage = Usage.start(this);
        long start = System.nanoTime();
        Flux.range(0, events.size())
                .flatMap(i -> Mono.defer(() -> {
                    long began = System.nanoTime();
                    StripeEvent event = events.get(i);
                    WebhookEvent stored = WebhookEvent.received(ids.newId(), tenant, STRIPE, event.eventId(),
                            event.type(), event.payload(), Instant.now());
                    return TenantContext.within(tenant, unitOfWork.inTransaction(() -> webhooks.insertIfAbsent(stored)
                                    .filter(Boolean::booleanValue)
                                    .flatMap(inserted -> domainEvents.record(tenant, new WebhookReceived(stored.id(),
                                            STRIPE.wireName(), stored.eventId(), stored.eventType())))))
                            .doOnNext(recorded -> tally.accepted.incrementAndGet())
                            .doFinally(signal -> latencies[i] = System.nanoTime() - began);
                }), concurrency)
                .then().block(Duration.ofMinutes(30));
        assertThat(tally.accepted.get()).isEqualTo(events.size());
        return usage.phase(name, events.size(), System.nanoTime() - start, latencies, tally);
    }

    // --- Exactly once ---

    /** {@code accepted} deliveries answered as new, {@code succeeded} of them payments. */
    private void verifyProcessedOnce(TenantSession merchant, long accepted, long succeeded) {
        long unhandled = accepted - succeeded;
        assertThat(merchant.count("SELECT count(*) AS n FROM webhook_event")).isEqualTo(accepted);
        assertThat(merchant.count("SELECT count(DISTINCT event_id) AS n FROM webhook_event")).isEqualTo(accepted);
        assertThat(merchant.count("SELECT count(*) AS n FROM webhook_event WHERE status = 'processed'"))
                .isEqualTo(succeeded);
        assertThat(merchant.count("SELECT count(*) AS n FROM webhook_event WHERE status = 'unhandled'"))
                .isEqualTo(unhandled);
        assertThat(merchant.count("SELECT count(*) AS n FROM webhook_event WHERE attempts <> 1"))
                .as("processed in one attempt each").isZero();
        assertThat(merchant.count("SELECT count(*) AS n FROM payment")).isEqualTo(succeeded);
        assertThat(merchant.count("SELECT count(DISTINCT reference) AS n FROM payment")).isEqualTo(succeeded);
        assertThat(merchant.count("SELECT count(*) AS n FROM payment WHERE amount_minor = " + INVOICE_TOTAL_MINOR
                + " AND applied_minor = " + INVOICE_TOTAL_MINOR)).isEqualTo(succeeded);
        assertThat(merchant.count("SELECT count(*) AS n FROM invoice WHERE status = 'paid'")).isEqualTo(succeeded);
        assertThat(merchant.count("SELECT count(*) AS n FROM outbox WHERE tenant_id = '" + merchant.tenantId()
                + "' AND event_type = 'webhook.received'")).isEqualTo(accepted);
        assertThat(merchant.count("SELECT count(*) AS n FROM outbox WHERE tenant_id = '" + merchant.tenantId()
                + "' AND event_type = 'payment.received'")).isEqualTo(succeeded);
    }

    /**
     * Until the merchant has no delivery left unprocessed and {@code hostrail.webhooks.processed} has counted
     * {@code expected} (the ceilings' tenants' rows are processed too).
     */
    private void awaitProcessed(TenantSession merchant, double expected) {
        Awaitility.await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(250)).until(() ->
                processedCount() >= expected
                        && merchant.count("SELECT count(*) AS n FROM webhook_event WHERE status = 'received'") == 0);
        awaitOutboxPublished();
    }

    private double processedCount() {
        return meters.find("hostrail.webhooks.processed").counters().stream().mapToDouble(Counter::count).sum();
    }

    private void awaitOutboxPublished() {
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> database
                .sql("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL").map(row -> row.get("n", Long.class))
                .one().block(Duration.ofSeconds(30)) == 0L);
    }

    // --- Report ---

    private void report(List<StripeEvent> sent, int concurrency, int ceilingConnections, Phase warmup,
            Phase rawCeiling, Phase receiverWrites, Phase closed, double drainSeconds, Phase open, Phase duplicates)
            throws IOException {
        double meanBody = sent.stream().mapToInt(event -> event.payload().length()).average().orElse(0);
        String row = String.format(Locale.ROOT,
                "| %s | %,d × %,.0f B | %d | %,.0f | %.1f ms | %.1f ms | %,.0f (%d conn.) | %.2f | %,.0f | %,.0f/s, %,d refused:"
                        + " %.1f ms | %.1f ms | %.0f s + %.0f s / %.0f s + %.0f s | %.2f → %.2f |",
                LocalDate.now(ZoneOffset.UTC), closed.events(), meanBody, concurrency, closed.perSecond(),
                closed.percentileMillis(50), closed.percentileMillis(99), rawCeiling.perSecond(), ceilingConnections,
                closed.perSecond() / rawCeiling.perSecond(), receiverWrites.perSecond(), open.perSecond(),
                open.refusals().size(), open.percentileMillis(50), open.percentileMillis(99), closed.jvmCpu(), closed.postgresCpu(),
                rawCeiling.jvmCpu(), rawCeiling.postgresCpu(), closed.loadBefore(), closed.loadAfter());
        StringBuilder details = new StringBuilder();
        for (Phase phase : List.of(warmup, rawCeiling, receiverWrites, closed, open, duplicates)) {
            details.append("    ").append(phase.describe()).append(phase.refusals().isEmpty() ? ""
                    : ", " + phase.refusals().size() + " refused, e.g. " + phase.refusals().iterator().next())
                    .append(System.lineSeparator());
        }
        details.append(String.format(Locale.ROOT, "    closed loop processed to its effects %.1f s after its last"
                + " answer; CPU per event (µs, JVM + PostgreSQL): ingest %.0f + %.0f, raw inserts %.0f + %.0f,"
                + " receiver's writes %.0f + %.0f%n", drainSeconds,
                1e6 * closed.jvmCpu() / closed.events(), 1e6 * closed.postgresCpu() / closed.events(),
                1e6 * rawCeiling.jvmCpu() / rawCeiling.events(), 1e6 * rawCeiling.postgresCpu() / rawCeiling.events(),
                1e6 * receiverWrites.jvmCpu() / receiverWrites.events(),
                1e6 * receiverWrites.postgresCpu() / receiverWrites.events()));
        System.out.println("BENCHMARK " + row);
        System.out.print(details);
        Path file = Path.of("target", "benchmark", "stripe-webhooks.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, row + System.lineSeparator() + details, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** CPU of this JVM and of PostgreSQL, and the load average, from a phase's start. */
    private record Usage(long jvmCpuBefore, ProcessHandle postgres, Map<Long, Duration> postgresBefore,
            double loadBefore) {

        static Usage start(StripeWebhookBenchmark benchmark) {
            ProcessHandle postgres = benchmark.postmaster();
            return new Usage(os().getProcessCpuTime(), postgres, cpuByProcess(postgres),
                    os().getSystemLoadAverage());
        }

        Phase phase(String name, int events, long elapsedNanos, long[] latencies, Tally tally) {
            double jvmCpu = (os().getProcessCpuTime() - jvmCpuBefore) / 1e9;
            double postgresCpu = cpuSince(postgres, postgresBefore);
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            Phase phase = new Phase(name, events, elapsedNanos / 1e9, sorted, tally.accepted.get(),
                    tally.acceptedActedOn.get(), tally.duplicates.get(), List.copyOf(tally.refusals), jvmCpu, postgresCpu, loadBefore,
                    os().getSystemLoadAverage());
            System.out.println("BENCHMARK   " + phase.describe());
            return phase;
        }

        private static com.sun.management.OperatingSystemMXBean os() {
            return (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        }
    }

    /** The PostgreSQL server the application uses: the parent of the backend serving this connection. */
    private ProcessHandle postmaster() {
        Integer backend = database.sql("SELECT pg_backend_pid() AS pid").map(row -> row.get("pid", Integer.class)).one()
                .block(Duration.ofSeconds(10));
        return ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL runs out of sight of this JVM"));
    }

    /** CPU time so far of the server and each of its processes (backends, writers, autovacuum). */
    private static Map<Long, Duration> cpuByProcess(ProcessHandle postmaster) {
        Map<Long, Duration> cpu = new HashMap<>();
        Stream.concat(Stream.of(postmaster), postmaster.descendants()).forEach(process ->
                process.info().totalCpuDuration().ifPresent(used -> cpu.put(process.pid(), used)));
        return cpu;
    }

    /** Seconds of CPU the server used since {@code before}; processes started since count from zero. */
    private static double cpuSince(ProcessHandle postmaster, Map<Long, Duration> before) {
        return cpuByProcess(postmaster).entrySet().stream()
                .mapToLong(now -> now.getValue().minus(before.getOrDefault(now.getKey(), Duration.ZERO)).toMillis())
                .sum() / 1e3;
    }
}
