package io.hostrail.adapters.kafka;

import io.hostrail.adapters.json.EventEnvelopeCodec;
import io.hostrail.adapters.json.EventEnvelopeCodec.MalformedEventException;
import io.hostrail.adapters.r2dbc.R2dbcProcessedEvents;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.event.EventSubscription;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderRecord;
import reactor.util.retry.Retry;

/**
 * Runs every {@link EventSubscription} as its own Kafka consumer group.
 *
 * <p>For each event: the effect and the "processed" mark commit in one transaction, so redelivered
 * events are applied once; the offset is acknowledged only after that commit. A failing effect is
 * retried with exponential backoff ({@link ConsumerRetryPolicy}); after the last attempt the event goes
 * to the dead-letter topic and the partition moves on. Infrastructure failures never dead-letter: they
 * are waited out. Records of one partition are applied in order, partitions in parallel.
 */
public final class KafkaEventConsumers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventConsumers.class);

    private final ReceiverOptions<String, byte[]> baseOptions;
    private final KafkaSender<String, byte[]> deadLetterSender;
    private final UnitOfWork unitOfWork;
    private final R2dbcProcessedEvents processedEvents;
    private final EventEnvelopeCodec codec;
    private final EventTopics topics;
    private final Settings settings;
    private final ConsumerRetryPolicy retryPolicy;
    private final Disposable.Composite running = Disposables.composite();

    public KafkaEventConsumers(ReceiverOptions<String, byte[]> baseOptions, KafkaSender<String, byte[]> deadLetterSender,
            UnitOfWork unitOfWork, R2dbcProcessedEvents processedEvents, EventEnvelopeCodec codec,
            EventTopics topics, Settings settings) {
        this.baseOptions = baseOptions;
        this.deadLetterSender = deadLetterSender;
        this.unitOfWork = unitOfWork;
        this.processedEvents = processedEvents;
        this.codec = codec;
        this.topics = topics;
        this.settings = settings;
        this.retryPolicy = new ConsumerRetryPolicy(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff());
    }

    public void start(List<EventSubscription> subscriptions) {
        long distinctNames = subscriptions.stream().map(EventSubscription::name).distinct().count();
        if (distinctNames != subscriptions.size()) {
            throw new IllegalArgumentException("event subscription names must be unique: " + subscriptions);
        }
        subscriptions.forEach(subscription -> running.add(consume(subscription).subscribe()));
    }

    private Flux<Void> consume(EventSubscription subscription) {
        ReceiverOptions<String, byte[]> options = baseOptions
                .consumerProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId(subscription))
                .consumerProperty(ConsumerConfig.CLIENT_ID_CONFIG, groupId(subscription) + "-" + settings.instanceId())
                .commitInterval(settings.commitInterval())
                .subscription(List.of(topics.events()));
        return Flux.defer(() -> KafkaReceiver.create(options).receive()
                        .groupBy(record -> record.receiverOffset().topicPartition())
                        .flatMap(partition -> partition.concatMap(record -> process(subscription, record)), 1024))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.warn("consumer {} restarting after: {}",
                                subscription.name(), signal.failure().toString())));
    }

    public static String groupId(EventSubscription subscription) {
        return "hostrail." + subscription.name();
    }

    private Mono<Void> process(EventSubscription subscription, ReceiverRecord<String, byte[]> record) {
        String type = EventHeaders.get(record.headers(), EventHeaders.EVENT_TYPE);
        if (type != null && !subscription.types().matches(type)) {
            record.receiverOffset().acknowledge();
            return Mono.empty();
        }
        return Mono.fromCallable(() -> codec.fromBytes(record.value()))
                .flatMap(event -> subscription.types().matches(event.type())
                        ? apply(subscription, event)
                        : Mono.<Void>empty())
                .onErrorResume(error -> deadLetter(subscription, record, error))
                .then(Mono.fromRunnable(() -> record.receiverOffset().acknowledge()));
    }

    private Mono<Void> apply(EventSubscription subscription, EventEnvelope event) {
        AtomicInteger attempt = new AtomicInteger();
        // The effect runs for the event's tenant: row-level security shows the handler that tenant's rows only.
        TenantId tenant = new TenantId(event.tenantId());
        return retryPolicy.apply(TenantContext.within(tenant, unitOfWork.inTransaction(() -> processedEvents
                                .markProcessed(subscription.name(), event)
                                .flatMap(first -> first
                                        ? subscription.handler().handle(event).thenReturn(Boolean.TRUE)
                                        : Mono.just(Boolean.FALSE))))
                        .doOnError(error -> log.info("consumer {} attempt {} on event {} failed: {}", subscription.name(),
                                attempt.incrementAndGet(), event.id(), error.toString())))
                .then();
    }

    /** Parks the event where operators can inspect and replay it; the partition carries on. */
    private Mono<Void> deadLetter(EventSubscription subscription, ReceiverRecord<String, byte[]> record, Throwable error) {
        int attempts = error instanceof MalformedEventException ? 1 : retryPolicy.maxAttempts();
        log.error("consumer {} gave up on record {}-{}@{} after {} attempt(s); sending it to {}: {}", subscription.name(),
                record.topic(), record.partition(), record.offset(), attempts, topics.deadLetter(), error.toString());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        EventHeaders.put(headers, EventHeaders.DEAD_LETTER_CONSUMER, subscription.name());
        EventHeaders.put(headers, EventHeaders.DEAD_LETTER_ERROR, String.valueOf(error));
        EventHeaders.put(headers, EventHeaders.DEAD_LETTER_ATTEMPTS, Integer.toString(attempts));
        ProducerRecord<String, byte[]> parked =
                new ProducerRecord<>(topics.deadLetter(), null, record.key(), record.value(), headers);
        // The sender stops on error: a failed send errors this Mono, the record is not acknowledged, and
        // the consumer restarts from the last committed offset, so the record comes round again.
        return deadLetterSender.send(Mono.just(SenderRecord.create(parked, record.offset()))).then();
    }

    @Override
    public void close() {
        running.dispose();
    }

    public record Settings(String instanceId, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            Duration commitInterval) {

        public Settings {
            Objects.requireNonNull(instanceId, "instanceId");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max attempts must be at least 1");
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(commitInterval, "commitInterval");
        }
    }
}
