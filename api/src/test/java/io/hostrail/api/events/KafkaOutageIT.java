package io.hostrail.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostrail.api.HostrailApplication;
import io.hostrail.api.support.FakeVies;
import io.hostrail.api.support.ProbeController;
import io.hostrail.api.support.SpineProbe;
import io.hostrail.api.support.SpineProbe.ProbeHappened;
import io.hostrail.infra.embedded.EmbeddedKafkaServer;
import io.hostrail.infra.embedded.EmbeddedPostgresServer;
import io.hostrail.infra.embedded.EmbeddedStack;
import io.hostrail.infra.embedded.SharedEmbeddedStack;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Kafka goes away and comes back (a broker restart: same address, same data). This application has a
 * database and a Kafka cluster of its own, so the outage touches no other test, and no other
 * context's relay can publish its outbox.
 */
@SpringBootTest(classes = HostrailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hostrail.instance-id=outage-test")
@ActiveProfiles("test")
@ContextConfiguration(initializers = {KafkaOutageIT.PrivateDatabaseAndBroker.class, FakeVies.Initializer.class})
@AutoConfigureWebTestClient(timeout = "30s")
@Import({SpineProbe.Configuration.class, ProbeController.class})
class KafkaOutageIT {

    private static final TenantId TENANT = new TenantId(UUID.fromString("0193a000-0000-7000-8000-000000000002"));
    private static final String DATABASE = "hostrail_kafka_outage";
    private static volatile EmbeddedKafkaServer broker;

    @Autowired UnitOfWork unitOfWork;
    @Autowired DomainEvents domainEvents;
    @Autowired DatabaseClient database;
    @Autowired IdGenerator ids;
    @Autowired WebTestClient http;

    static final class PrivateDatabaseAndBroker implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            EmbeddedStack shared = SharedEmbeddedStack.get();
            EmbeddedPostgresServer postgres = shared.postgres();
            postgres.createDatabaseIfMissing(DATABASE);
            broker = EmbeddedKafkaServer.start(6);
            Map<String, Object> properties = new HashMap<>(shared.springProperties());
            properties.put("spring.r2dbc.url", postgres.r2dbcUrl(DATABASE));
            properties.put("spring.flyway.url", postgres.jdbcUrl(DATABASE));
            properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("outageTest", properties));
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("with Kafka stopped, events wait in the outbox and all arrive after it returns")
    void eventsWaitForKafkaAndThenAllArrive() {
        EventEnvelope before = record("before-outage");
        await().atMost(Duration.ofSeconds(60)).until(() -> effectRows(before.id()) == 1);

        broker.stopBroker();
        List<EventEnvelope> during = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            during.add(record("during-outage-" + i));
        }

        // The state changes commit while Kafka is away: nothing is lost, everything waits its turn.
        await().atMost(Duration.ofSeconds(30)).until(() -> attemptedButUnpublished(during) == during.size());
        assertThat(during).allSatisfy(event -> assertThat(effectRows(event.id())).isZero());
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.kafka.status").isEqualTo("DOWN");

        broker.startBroker();

        await().atMost(Duration.ofSeconds(120)).until(() -> during.stream().allMatch(event -> effectRows(event.id()) == 1));
        assertThat(unpublished(during)).isZero();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    private EventEnvelope record(String label) {
        return unitOfWork.inTransaction(() -> domainEvents.record(TENANT, new ProbeHappened(ids.newId(), label, 0)))
                .block(Duration.ofSeconds(10));
    }

    private long effectRows(UUID eventId) {
        Long n = database.sql("SELECT count(*) AS n FROM probe_effect WHERE event_id = :id").bind("id", eventId)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
        return n == null ? 0 : n;
    }

    /** Rows the relay tried to publish (attempts counted, error kept) that are still waiting. */
    private long attemptedButUnpublished(List<EventEnvelope> events) {
        Long n = database.sql("""
                        SELECT count(*) AS n FROM outbox
                        WHERE id = ANY(:ids) AND published_at IS NULL AND attempts > 0 AND last_error IS NOT NULL
                        """)
                .bind("ids", events.stream().map(EventEnvelope::id).toArray(UUID[]::new))
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
        return n == null ? 0 : n;
    }

    private long unpublished(List<EventEnvelope> events) {
        Long n = database.sql("SELECT count(*) AS n FROM outbox WHERE id = ANY(:ids) AND published_at IS NULL")
                .bind("ids", events.stream().map(EventEnvelope::id).toArray(UUID[]::new))
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
        return n == null ? 0 : n;
    }
}
