package io.hostrail.api.events;

import io.hostrail.adapters.kafka.KafkaEventConsumers;
import io.hostrail.adapters.kafka.KafkaTopicsAdmin;
import io.hostrail.adapters.kafka.OutboxRelay;
import io.hostrail.adapters.r2dbc.R2dbcProcessedEvents;
import io.hostrail.api.config.EventSpineProperties;
import io.hostrail.shared.event.EventSubscription;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starts the spine once the context is up and stops it first on shutdown, so no event is claimed or
 * consumed by a half-stopped application. Kafka being unreachable at start delays nothing: topics are
 * ensured, and events relayed, in the background as soon as it answers.
 */
public final class EventSpineLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventSpineLifecycle.class);

    private final KafkaTopicsAdmin topicsAdmin;
    private final OutboxRelay relay;
    private final KafkaEventConsumers consumers;
    private final R2dbcProcessedEvents processedEvents;
    private final List<EventSubscription> subscriptions;
    private final EventSpineProperties properties;
    private final Clock clock;
    private final Disposable.Composite background = Disposables.composite();
    private volatile boolean running;

    EventSpineLifecycle(KafkaTopicsAdmin topicsAdmin, OutboxRelay relay, KafkaEventConsumers consumers,
            R2dbcProcessedEvents processedEvents, List<EventSubscription> subscriptions,
            EventSpineProperties properties, Clock clock) {
        this.topicsAdmin = topicsAdmin;
        this.relay = relay;
        this.consumers = consumers;
        this.processedEvents = processedEvents;
        this.subscriptions = subscriptions;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        // Consumers subscribe once the topics exist: a consumer that subscribed to a missing topic
        // would only notice it at its next metadata refresh, minutes later.
        background.add(topicsAdmin.ensureTopicsPatiently()
                .doOnSuccess(ensured -> consumers.start(subscriptions))
                .thenMany(Flux.interval(properties.topicCheckInterval())
                        .onBackpressureDrop()
                        .concatMap(tick -> topicsAdmin.ensureTopics()
                                .onErrorResume(e -> {
                                    log.warn("Kafka topic check failed: {}", e.toString());
                                    return Mono.empty();
                                }), 1))
                .subscribe());
        relay.start();
        background.add(Flux.interval(properties.relay().cleanupInterval())
                .onBackpressureDrop()
                .concatMap(tick -> processedEvents
                        .deleteProcessedBefore(clock.instant().minus(properties.consumer().processedRetention()))
                        .onErrorResume(e -> Mono.empty()), 1)
                .subscribe());
        running = true;
        log.info("event spine started: relay to '{}', {} subscription(s) {}", properties.topic(), subscriptions.size(),
                subscriptions.stream().map(EventSubscription::name).toList());
    }

    @Override
    public void stop() {
        consumers.close();
        relay.close();
        background.dispose();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Late start, early stop: after the web server and data sources, before them on the way down. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
