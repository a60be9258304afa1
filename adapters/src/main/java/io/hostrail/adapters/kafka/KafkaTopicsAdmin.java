package io.hostrail.adapters.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Keeps the event topics present and wide enough, and answers whether the cluster is reachable. */
public final class KafkaTopicsAdmin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopicsAdmin.class);

    private final Admin admin;
    private final EventTopics topics;

    public KafkaTopicsAdmin(Admin admin, EventTopics topics) {
        this.admin = admin;
        this.topics = topics;
    }

    /**
     * Creates missing topics and raises a partition count lower than configured (it never lowers one).
     * Run at start and then periodically: Kafka holds nothing that cannot be rebuilt, so a cluster that
     * comes back empty gets its topics again without a restart of the application.
     */
    public Mono<Void> ensureTopics() {
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.events(), topics.partitions(), topics.replicationFactor()),
                new NewTopic(topics.deadLetter(), topics.partitions(), topics.replicationFactor()));
        return Mono.defer(() -> Mono.fromCompletionStage(admin.listTopics().names().toCompletionStage()))
                .flatMap(existing -> create(wanted.stream().filter(topic -> !existing.contains(topic.name())).toList())
                        .then(widen(wanted.stream().map(NewTopic::name).filter(existing::contains).toList())));
    }

    /** {@link #ensureTopics()}, retried with backoff until Kafka answers. */
    public Mono<Void> ensureTopicsPatiently() {
        return ensureTopics()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.warn("Kafka topics not ensured yet: {}", signal.failure().toString())));
    }

    private Mono<Void> create(List<NewTopic> missing) {
        if (missing.isEmpty()) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(admin.createTopics(missing).all().toCompletionStage())
                .onErrorResume(e -> e instanceof TopicExistsException || e.getCause() instanceof TopicExistsException,
                        e -> Mono.empty())
                .doOnSuccess(done -> log.info("created Kafka topics {}", missing.stream().map(NewTopic::name).toList()));
    }

    private Mono<Void> widen(List<String> existing) {
        if (existing.isEmpty()) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(admin.describeTopics(existing).allTopicNames().toCompletionStage())
                .flatMap(descriptions -> {
                    Map<String, NewPartitions> increases = new HashMap<>();
                    descriptions.forEach((name, description) -> {
                        if (description.partitions().size() < topics.partitions()) {
                            increases.put(name, NewPartitions.increaseTo(topics.partitions()));
                        }
                    });
                    if (increases.isEmpty()) {
                        return Mono.<Void>empty();
                    }
                    return Mono.fromCompletionStage(admin.createPartitions(increases).all().toCompletionStage())
                            .doOnSuccess(done -> log.info("raised partitions of {} to {}", increases.keySet(),
                                    topics.partitions()));
                });
    }

    /** The ids of the cluster's brokers, or an error if none answers within the timeout. */
    public Mono<Set<Integer>> brokerIds(Duration timeout) {
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
        return Mono.defer(() -> Mono.fromCompletionStage(admin.describeCluster(options).nodes().toCompletionStage()))
                .map(nodes -> nodes.stream().map(node -> node.id()).collect(java.util.stream.Collectors.toSet()));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
