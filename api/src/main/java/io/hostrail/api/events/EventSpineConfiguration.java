package io.hostrail.api.events;

import io.hostrail.adapters.json.EventEnvelopeCodec;
import io.hostrail.adapters.kafka.EventTopics;
import io.hostrail.adapters.kafka.KafkaEventConsumers;
import io.hostrail.adapters.kafka.KafkaTopicsAdmin;
import io.hostrail.adapters.kafka.OutboxRelay;
import io.hostrail.adapters.r2dbc.OutboxDomainEvents;
import io.hostrail.adapters.r2dbc.R2dbcProcessedEvents;
import io.hostrail.adapters.r2dbc.R2dbcUnitOfWork;
import io.hostrail.api.config.EventSpineProperties;
import io.hostrail.api.config.HostrailProperties;
import io.hostrail.shared.event.EventSubscription;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.UuidV7Generator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event spine: unit of work, outbox, relay to Kafka and the consumer facility. Kafka is reached
 * through the standard {@code spring.kafka.*} properties; Reactor Kafka stays behind the adapters.
 */
@Configuration(proxyBeanMethods = false)
public class EventSpineConfiguration {

    @Bean
    public IdGenerator idGenerator(Clock clock) {
        return new UuidV7Generator(clock);
    }

    @Bean
    public UnitOfWork unitOfWork(ReactiveTransactionManager transactionManager, DatabaseClient database) {
        return new R2dbcUnitOfWork(TransactionalOperator.create(transactionManager), database);
    }

    @Bean
    public EventEnvelopeCodec eventEnvelopeCodec(JsonMapper jsonMapper) {
        return new EventEnvelopeCodec(jsonMapper);
    }

    @Bean
    public EventTopics eventTopics(EventSpineProperties properties) {
        return new EventTopics(properties.topic(), properties.deadLetterTopic(), properties.partitions(),
                properties.replicationFactor());
    }

    @Bean
    public DomainEvents domainEvents(DatabaseClient database, EventEnvelopeCodec codec, IdGenerator ids, Clock clock,
            EventSpineProperties properties, ObjectProvider<OutboxRelay> relay) {
        return new OutboxDomainEvents(database, codec, ids, clock, properties.source(),
                () -> relay.ifAvailable(OutboxRelay::wake));
    }

    @Bean(destroyMethod = "close")
    public KafkaSender<String, byte[]> eventSender(KafkaProperties kafka, HostrailProperties hostrail) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "hostrail-outbox-" + hostrail.instanceId());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Durable and in order per partition (one request in flight). Not idempotent: delivery is at
        // least once by design (leases, consumer dedupe), and an idempotent producer that lost its
        // broker stalls every later send until one returns, where this one fails them in seconds, so
        // rows stay in the outbox with their attempts counted and the relay backs off.
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        producer.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        producer.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        producer.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        // stopOnError: a batch stops at its first failed record instead of timing out every one of them.
        return KafkaSender.create(SenderOptions.<String, byte[]>create(producer).stopOnError(true));
    }

    @Bean(destroyMethod = "close")
    public KafkaTopicsAdmin kafkaTopicsAdmin(KafkaProperties kafka, EventTopics topics) {
        Map<String, Object> admin = new HashMap<>(kafka.buildAdminProperties());
        admin.putIfAbsent("request.timeout.ms", 5_000);
        admin.putIfAbsent("default.api.timeout.ms", 10_000);
        return new KafkaTopicsAdmin(Admin.create(admin), topics);
    }

    @Bean(destroyMethod = "close")
    public OutboxRelay outboxRelay(DatabaseClient database, KafkaSender<String, byte[]> eventSender, EventTopics topics,
            EventSpineProperties properties, HostrailProperties hostrail, Clock clock) {
        EventSpineProperties.Relay relay = properties.relay();
        return new OutboxRelay(database, eventSender, topics, new OutboxRelay.Settings(hostrail.instanceId(),
                relay.batchSize(), relay.pollInterval(), relay.lease(), relay.maxBackoff(), relay.retention(),
                relay.cleanupInterval()), clock);
    }

    @Bean
    public R2dbcProcessedEvents processedEvents(DatabaseClient database, Clock clock) {
        return new R2dbcProcessedEvents(database, clock);
    }

    @Bean(destroyMethod = "close")
    public KafkaEventConsumers kafkaEventConsumers(KafkaProperties kafka, KafkaSender<String, byte[]> eventSender,
            UnitOfWork unitOfWork, R2dbcProcessedEvents processedEvents, EventEnvelopeCodec codec, EventTopics topics,
            EventSpineProperties properties, HostrailProperties hostrail) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new consumer must not miss events published before its group first joined.
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        EventSpineProperties.Consumer settings = properties.consumer();
        return new KafkaEventConsumers(ReceiverOptions.create(consumer), eventSender, unitOfWork, processedEvents, codec,
                topics, new KafkaEventConsumers.Settings(hostrail.instanceId(), settings.maxAttempts(),
                        settings.initialBackoff(), settings.maxBackoff(), settings.commitInterval()));
    }

    @Bean
    public EventSpineLifecycle eventSpineLifecycle(KafkaTopicsAdmin topicsAdmin, OutboxRelay relay,
            KafkaEventConsumers consumers, R2dbcProcessedEvents processedEvents,
            ObjectProvider<EventSubscription> subscriptions, EventSpineProperties properties, Clock clock) {
        return new EventSpineLifecycle(topicsAdmin, relay, consumers, processedEvents,
                subscriptions.orderedStream().toList(), properties, clock);
    }
}
