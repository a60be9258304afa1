package io.hostrail.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostrail.adapters.json.EventEnvelopeCodec;
import io.hostrail.adapters.kafka.EventTopics;
import io.hostrail.adapters.kafka.OutboxRelay;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.SpineProbe;
import io.hostrail.api.support.SpineProbe.ProbeHappened;
import io.hostrail.infra.embedded.SharedEmbeddedStack;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.test.StepVerifier;

@HostrailIntegrationTest
class EventSpineIT {

    private static final TenantId TENANT = new TenantId(UUID.fromString("0193a000-0000-7000-8000-000000000001"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired UnitOfWork unitOfWork;
    @Autowired DomainEvents domainEvents;
    @Autowired DatabaseClient database;
    @Autowired SpineProbe probe;
    @Autowired IdGenerator ids;
    @Autowired EventEnvelopeCodec codec;
    @Autowired EventTopics topics;
    @Autowired KafkaSender<String, byte[]> eventSender;
    @Autowired Clock clock;

    @Test
    @DisplayName("a committed event reaches the consumer's effect exactly once")
    void committedEventIsAppliedExactlyOnce() {
        EventEnvelope event = recordCommitted(new ProbeHappened(ids.newId(), "once", 0));

        await().atMost(PATIENCE).until(() -> effectRows(event.id()) == 1);
        assertThat(publishedAt(event.id())).isNotNull();
        // Give a duplicate delivery every chance to show up before asserting there is none.
        awaitQuiet();
        assertThat(effectRows(event.id())).isEqualTo(1);
        assertThat(probe.invocations(event.id())).isEqualTo(1);
    }

    @Test
    @DisplayName("an event delivered twice by Kafka is applied once")
    void redeliveredEventIsAppliedOnce() {
        EventEnvelope event = recordCommitted(new ProbeHappened(ids.newId(), "redelivered", 0));
        await().atMost(PATIENCE).until(() -> effectRows(event.id()) == 1);

        // Kafka's at-least-once delivery: the very same envelope arrives again.
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topics.events(), event.aggregateId().toString(), codec.toBytes(event)));
            producer.flush();
        }
        await().atMost(PATIENCE).until(() -> processedMarks(event.id()) == 1 && probe.invocations(event.id()) == 1);
        awaitQuiet();
        assertThat(effectRows(event.id())).isEqualTo(1);
    }

    @Test
    @DisplayName("an event recorded in a rolled-back transaction is never stored nor published")
    void rolledBackEventIsNeverPublished() {
        ProbeHappened rolledBack = new ProbeHappened(ids.newId(), "rolled-back", 0);
        StepVerifier.create(unitOfWork.inTransaction(() -> domainEvents.record(TENANT, rolledBack)
                        .then(Mono.error(new IllegalStateException("the state change failed")))))
                .expectErrorMessage("the state change failed")
                .verify(Duration.ofSeconds(10));

        // A later committed event flows, so the relay and consumer ran past the point of the rollback.
        EventEnvelope later = recordCommitted(new ProbeHappened(ids.newId(), "after-rollback", 0));
        await().atMost(PATIENCE).until(() -> effectRows(later.id()) == 1);

        assertThat(outboxRowsFor(rolledBack.aggregateId())).isZero();
        assertThat(effectRowsForAggregate(rolledBack.aggregateId())).isZero();
    }

    @Test
    @DisplayName("recording an event outside a unit of work is refused")
    void recordingOutsideATransactionIsRefused() {
        ProbeHappened stray = new ProbeHappened(ids.newId(), "stray", 0);

        StepVerifier.create(domainEvents.record(TENANT, stray))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("inside a UnitOfWork"))
                .verify(Duration.ofSeconds(10));
        assertThat(outboxRowsFor(stray.aggregateId())).isZero();
    }

    @Test
    @DisplayName("a consumer that fails twice then succeeds applies the effect once")
    void failingTwiceThenSucceedingAppliesOnce() {
        EventEnvelope event = recordCommitted(new ProbeHappened(ids.newId(), "flaky", 2));

        await().atMost(PATIENCE).until(() -> effectRows(event.id()) == 1);
        awaitQuiet();
        assertThat(probe.invocations(event.id())).isEqualTo(3);
        assertThat(effectRows(event.id())).isEqualTo(1);
        assertThat(processedMarks(event.id())).isEqualTo(1);
    }

    @Test
    @DisplayName("a poison event lands in the dead-letter topic and later events still flow")
    void poisonEventIsDeadLetteredAndLaterEventsFlow() {
        UUID aggregate = ids.newId();
        try (KafkaConsumer<String, byte[]> deadLetters = consumer(topics.deadLetter())) {
            EventEnvelope poison = recordCommitted(new ProbeHappened(aggregate, "poison", -1));
            // Same aggregate, so the same partition: it must not stay blocked behind the poison event.
            EventEnvelope after = recordCommitted(new ProbeHappened(aggregate, "after-poison", 0));

            await().atMost(PATIENCE).until(() -> effectRows(after.id()) == 1);
            ConsumerRecord<String, byte[]> parked = awaitRecord(deadLetters, record -> poison.id().toString()
                    .equals(header(record, "hostrail-event-id")));

            assertThat(header(parked, "hostrail-dlt-consumer")).isEqualTo(SpineProbe.SUBSCRIPTION);
            assertThat(header(parked, "hostrail-dlt-attempts")).isEqualTo("3");
            assertThat(header(parked, "hostrail-dlt-error")).contains("probe failure 3");
            assertThat(codec.fromBytes(parked.value()).id()).isEqualTo(poison.id());
            assertThat(probe.invocations(poison.id())).isEqualTo(3);
            assertThat(effectRows(poison.id())).isZero();
            assertThat(processedMarks(poison.id())).isZero();
        }
    }

    @Test
    @DisplayName("a record that is not an event envelope is dead-lettered at once, and the partition moves on")
    void malformedRecordIsDeadLetteredAtOnce() {
        UUID aggregate = ids.newId();
        try (KafkaConsumer<String, byte[]> deadLetters = consumer(topics.deadLetter());
                KafkaProducer<String, byte[]> producer = producer()) {
            ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(topics.events(), aggregate.toString(),
                    "{not json".getBytes(StandardCharsets.UTF_8));
            garbage.headers().add("hostrail-event-type", "probe.happened".getBytes(StandardCharsets.UTF_8));
            garbage.headers().add("hostrail-event-id", ("garbage-" + aggregate).getBytes(StandardCharsets.UTF_8));
            producer.send(garbage);
            producer.flush();
            EventEnvelope after = recordCommitted(new ProbeHappened(aggregate, "after-garbage", 0));

            await().atMost(PATIENCE).until(() -> effectRows(after.id()) == 1);
            ConsumerRecord<String, byte[]> parked = awaitRecord(deadLetters,
                    record -> ("garbage-" + aggregate).equals(header(record, "hostrail-event-id")));
            assertThat(header(parked, "hostrail-dlt-attempts")).isEqualTo("1");
            assertThat(header(parked, "hostrail-dlt-error")).contains("not a valid event envelope");
        }
    }

    @Test
    @DisplayName("three relays draining one outbox at once publish every event exactly once")
    void concurrentRelaysPublishEachEventOnce() {
        // Rows go in under a parked lease so no relay starts before all exist; once released, the
        // application's own relay and two more (as on other instances) race for them.
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(new EventEnvelope(ids.newId(), "race.happened", TENANT.value(), ids.newId(), clock.instant(),
                    "test", 1, Map.of("n", i)));
        }
        Flux.fromIterable(events)
                .concatMap(event -> database.sql("""
                                INSERT INTO outbox (id, tenant_id, aggregate_id, event_type, occurred_at, envelope,
                                                    claimed_by, claimed_until)
                                VALUES (:id, :tenant, :aggregate, :type, :occurredAt, CAST(:envelope AS jsonb),
                                        'parked', now() + interval '1 hour')
                                """)
                        .bind("id", event.id()).bind("tenant", event.tenantId()).bind("aggregate", event.aggregateId())
                        .bind("type", event.type()).bind("occurredAt", event.occurredAt())
                        .bind("envelope", codec.toJson(event))
                        .fetch().rowsUpdated())
                .blockLast(PATIENCE);
        Set<UUID> wanted = events.stream().map(EventEnvelope::id).collect(java.util.stream.Collectors.toSet());

        Map<UUID, Integer> seen = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> published = consumer(topics.events())) {
            database.sql("UPDATE outbox SET claimed_until = NULL, claimed_by = NULL WHERE id = ANY(:ids)")
                    .bind("ids", wanted.toArray(UUID[]::new)).fetch().rowsUpdated().block(PATIENCE);
            OutboxRelay first = relay("race-1");
            OutboxRelay second = relay("race-2");
            Flux.merge(drainRepeatedly(first), drainRepeatedly(second)).blockLast(PATIENCE);

            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, byte[]> record : published.poll(Duration.ofMillis(200))) {
                    String id = header(record, "hostrail-event-id");
                    if (id != null && wanted.contains(UUID.fromString(id))) {
                        seen.merge(UUID.fromString(id), 1, Integer::sum);
                    }
                }
                return seen.size() == wanted.size();
            });
            awaitQuietly(published, wanted, seen);
        }
        assertThat(seen).hasSize(300);
        assertThat(seen.values()).allMatch(count -> count == 1);
        Long unpublished = database.sql("SELECT count(*) AS n FROM outbox WHERE id = ANY(:ids) AND published_at IS NULL")
                .bind("ids", wanted.toArray(UUID[]::new)).map(row -> row.get("n", Long.class)).one().block(PATIENCE);
        assertThat(unpublished).isZero();
    }

    private Flux<Void> drainRepeatedly(OutboxRelay relay) {
        return Flux.range(0, 20).concatMap(i -> relay.drain());
    }

    private OutboxRelay relay(String instance) {
        return new OutboxRelay(database, eventSender, topics, new OutboxRelay.Settings(instance, 7,
                Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofDays(7),
                Duration.ofHours(1)), clock);
    }

    private void awaitQuietly(KafkaConsumer<String, byte[]> published, Set<UUID> wanted, Map<UUID, Integer> seen) {
        for (int i = 0; i < 5; i++) {
            for (ConsumerRecord<String, byte[]> record : published.poll(Duration.ofMillis(200))) {
                String id = header(record, "hostrail-event-id");
                if (id != null && wanted.contains(UUID.fromString(id))) {
                    seen.merge(UUID.fromString(id), 1, Integer::sum);
                }
            }
        }
    }

    private EventEnvelope recordCommitted(ProbeHappened event) {
        return unitOfWork.inTransaction(() -> domainEvents.record(TENANT, event)).block(PATIENCE);
    }

    private static void awaitQuiet() {
        // Enough for several relay polls and consumer commits at the test settings.
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
    }

    private long effectRows(UUID eventId) {
        return count("SELECT count(*) AS n FROM probe_effect WHERE event_id = :id", eventId);
    }

    private long effectRowsForAggregate(UUID aggregateId) {
        return count("SELECT count(*) AS n FROM probe_effect WHERE aggregate_id = :id", aggregateId);
    }

    private long processedMarks(UUID eventId) {
        return count("SELECT count(*) AS n FROM processed_event WHERE event_id = :id", eventId);
    }

    private long outboxRowsFor(UUID aggregateId) {
        return count("SELECT count(*) AS n FROM outbox WHERE aggregate_id = :id", aggregateId);
    }

    private Object publishedAt(UUID eventId) {
        return database.sql("SELECT published_at FROM outbox WHERE id = :id").bind("id", eventId)
                .map(row -> (Object) row.get("published_at", java.time.OffsetDateTime.class)).one().block(PATIENCE);
    }

    private long count(String sql, UUID id) {
        Long n = database.sql(sql).bind("id", id).map(row -> row.get("n", Long.class)).one().block(PATIENCE);
        return n == null ? 0 : n;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(KafkaConsumer<String, byte[]> consumer,
            java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                if (wanted.test(record)) {
                    found.add(record);
                }
            });
            return !found.isEmpty();
        });
        return found.getFirst();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEmbeddedStack.get().kafka().bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /** Reads every partition of a topic from its current end onwards: sees only what arrives later. */
    private static KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEmbeddedStack.get().kafka().bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            partitions.clear();
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            return !partitions.isEmpty();
        });
        // Explicit assignment, ends resolved now: no group rebalance can make it skip a partition.
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
