package io.hostrail.adapters.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;

/**
 * Publishes committed outbox rows to Kafka, keyed by aggregate id, and marks them published.
 *
 * <p>Several instances may run at once. A batch is claimed with a lease in one short transaction
 * ({@code FOR UPDATE SKIP LOCKED}, so instances never wait on or take each other's rows), published
 * without holding any transaction, then marked. If an instance dies mid-batch its lease expires and
 * another publishes the rows again: delivery is at least once, and consumers deduplicate by event id.
 * While Kafka is down rows stay unpublished, their attempts counted, and the relay backs off.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long CLEANUP_BATCH = 5_000;

    private final DatabaseClient database;
    private final KafkaSender<String, byte[]> sender;
    private final EventTopics topics;
    private final Settings settings;
    private final Clock clock;
    private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final Disposable.Composite running = Disposables.composite();

    public OutboxRelay(DatabaseClient database, KafkaSender<String, byte[]> sender, EventTopics topics, Settings settings, Clock clock) {
        this.database = database;
        this.sender = sender;
        this.topics = topics;
        this.settings = settings;
        this.clock = clock;
    }

    public void start() {
        running.add(Flux.merge(Flux.interval(Duration.ZERO, settings.pollInterval()), wakeups.asFlux())
                .onBackpressureDrop()
                .concatMap(tick -> drain(), 1)
                .subscribe());
        running.add(Flux.interval(settings.cleanupInterval(), settings.cleanupInterval())
                .onBackpressureDrop()
                .concatMap(tick -> deletePublishedBefore(clock.instant().minus(settings.retention()))
                        .onErrorResume(e -> {
                            log.warn("outbox cleanup failed: {}", e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe());
    }

    /** Asks the relay to look for new rows now rather than at the next poll. */
    public void wake() {
        wakeups.tryEmitNext(Boolean.TRUE);
    }

    /** Publishes until the outbox is empty, a batch fails, or the relay is backing off. */
    public Mono<Void> drain() {
        return Mono.defer(() -> {
            if (clock.instant().isBefore(pausedUntil.get())) {
                return Mono.empty();
            }
            return relayBatch()
                    .expand(result -> result.claimed() == settings.batchSize() && result.failed() == 0
                            ? relayBatch() : Mono.empty())
                    .then();
        }).onErrorResume(e -> {
            backOff(e.toString());
            return Mono.empty();
        });
    }

    /** Claims, publishes and marks one batch. */
    public Mono<BatchResult> relayBatch() {
        return claim().collectList().flatMap(rows -> rows.isEmpty() ? Mono.just(BatchResult.EMPTY) : publish(rows));
    }

    private Flux<ClaimedRow> claim() {
        return database.sql("""
                        WITH next AS (
                            SELECT id FROM outbox
                            WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                            ORDER BY id
                            LIMIT :limit
                            FOR UPDATE SKIP LOCKED)
                        UPDATE outbox o
                        SET claimed_by = :instance, claimed_until = now() + (:leaseMillis * interval '1 millisecond')
                        FROM next
                        WHERE o.id = next.id
                        RETURNING o.id, o.tenant_id, o.aggregate_id, o.event_type, o.envelope::text AS envelope
                        """)
                .bind("limit", settings.batchSize())
                .bind("instance", settings.instanceId())
                .bind("leaseMillis", settings.lease().toMillis())
                .map((row, metadata) -> new ClaimedRow(
                        row.get("id", UUID.class),
                        row.get("tenant_id", UUID.class),
                        row.get("aggregate_id", UUID.class),
                        row.get("event_type", String.class),
                        Objects.requireNonNull(row.get("envelope", String.class))))
                .all()
                // RETURNING has no order; UUIDv7 ids restore creation order within the batch.
                .sort(Comparator.comparing(ClaimedRow::id));
    }

    /**
     * Sends a batch in id order. The sender stops at the first failure (the rest are not attempted, so
     * an unreachable Kafka costs one timeout per batch, not one per row); rows Kafka acknowledged are
     * marked published, all others stay in the outbox for the next attempt.
     */
    private Mono<BatchResult> publish(List<ClaimedRow> rows) {
        List<UUID> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        return sender.send(Flux.fromIterable(rows).map(this::toRecord))
                .doOnNext(result -> {
                    if (result.exception() == null) {
                        acknowledged.add(result.correlationMetadata());
                    }
                })
                .then(Mono.<Throwable>empty())
                // Settle well inside the lease, so no other instance can claim rows we still hold.
                .timeout(settings.lease().dividedBy(2))
                .onErrorResume(Mono::just)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(failure -> {
                    List<UUID> published = List.copyOf(acknowledged);
                    List<UUID> failed = rows.stream().map(ClaimedRow::id).filter(id -> !published.contains(id)).toList();
                    String error = failure.map(Throwable::toString)
                            .orElse(failed.isEmpty() ? null : "not acknowledged by Kafka");
                    return settle(published, failed, error);
                });
    }

    private SenderRecord<String, byte[], UUID> toRecord(ClaimedRow row) {
        RecordHeaders headers = new RecordHeaders();
        EventHeaders.put(headers, EventHeaders.EVENT_ID, row.id().toString());
        EventHeaders.put(headers, EventHeaders.EVENT_TYPE, row.type());
        EventHeaders.put(headers, EventHeaders.TENANT_ID, row.tenantId().toString());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.events(), null,
                row.aggregateId().toString(), row.envelope().getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
        return SenderRecord.create(record, row.id());
    }

    private Mono<BatchResult> settle(List<UUID> published, List<UUID> failed, String error) {
        Mono<Long> markPublished = published.isEmpty() ? Mono.just(0L) : database.sql("""
                        UPDATE outbox SET published_at = :now, claimed_by = NULL, claimed_until = NULL,
                                          attempts = attempts + 1, last_error = NULL
                        WHERE id = ANY(:ids) AND published_at IS NULL
                        """)
                .bind("now", clock.instant())
                .bind("ids", published.toArray(UUID[]::new))
                .fetch().rowsUpdated();
        Mono<Long> markFailed = failed.isEmpty() ? Mono.just(0L) : database.sql("""
                        UPDATE outbox SET claimed_by = NULL, claimed_until = NULL,
                                          attempts = attempts + 1, last_error = :error
                        WHERE id = ANY(:ids) AND claimed_by = :instance AND published_at IS NULL
                        """)
                .bind("instance", settings.instanceId())
                .bind("error", truncate(error))
                .bind("ids", failed.toArray(UUID[]::new))
                .fetch().rowsUpdated();
        return markPublished.then(markFailed).then(Mono.fromSupplier(() -> {
            if (failed.isEmpty()) {
                consecutiveFailures.set(0);
            } else {
                backOff(error);
            }
            return new BatchResult(published.size() + failed.size(), failed.size());
        }));
    }

    /** Exponential backoff with jitter while Kafka (or the database) is failing. */
    private void backOff(String error) {
        int failures = consecutiveFailures.incrementAndGet();
        long base = Math.min(settings.maxBackoff().toMillis(),
                settings.pollInterval().toMillis() << Math.min(failures, 16));
        long jittered = base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1);
        pausedUntil.set(clock.instant().plusMillis(jittered));
        log.warn("outbox relay failed ({} in a row), retrying in {} ms: {}", failures, jittered, error);
    }

    /** Deletes published rows older than the cutoff, in batches, so no single statement holds locks long. */
    public Mono<Long> deletePublishedBefore(Instant cutoff) {
        return deleteBatch(cutoff)
                .expand(deleted -> deleted == CLEANUP_BATCH ? deleteBatch(cutoff) : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> deleteBatch(Instant cutoff) {
        return database.sql("""
                        DELETE FROM outbox WHERE id IN (
                            SELECT id FROM outbox WHERE published_at < :cutoff LIMIT :limit FOR UPDATE SKIP LOCKED)
                        """)
                .bind("cutoff", cutoff)
                .bind("limit", CLEANUP_BATCH)
                .fetch().rowsUpdated();
    }

    @Override
    public void close() {
        running.dispose();
    }

    private static String truncate(String error) {
        String message = error == null ? "unknown error" : error;
        return message.length() <= 1000 ? message : message.substring(0, 1000);
    }

    private record ClaimedRow(UUID id, UUID tenantId, UUID aggregateId, String type, String envelope) {
    }

    /** How many rows a batch claimed and how many of them Kafka did not take. */
    public record BatchResult(int claimed, int failed) {

        static final BatchResult EMPTY = new BatchResult(0, 0);
    }

    /**
     * @param instanceId who holds a lease, for operators reading the table
     * @param lease how long a claim stays exclusive; longer than a publish can take
     */
    public record Settings(String instanceId, int batchSize, Duration pollInterval, Duration lease,
            Duration maxBackoff, Duration retention, Duration cleanupInterval) {

        public Settings {
            Objects.requireNonNull(instanceId, "instanceId");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1");
            }
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(cleanupInterval, "cleanupInterval");
        }
    }
}
