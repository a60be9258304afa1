package io.hostrail.infra.embedded;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka cluster in KRaft mode (no ZooKeeper), running in this JVM on a free port.
 * Its broker can be stopped and started again on the same port with its data, as in a broker restart.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker cluster;

    private EmbeddedKafkaServer(EmbeddedKafkaKraftBroker cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafkaServer start(int partitionsPerTopic) {
        EmbeddedKafkaKraftBroker cluster = new EmbeddedKafkaKraftBroker(1, partitionsPerTopic);
        cluster.brokerProperties(Map.of(
                // As in production: topics exist because the application ensured them, not by accident.
                "auto.create.topics.enable", "false",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0",
                "log.flush.interval.messages", "1000000"));
        cluster.afterPropertiesSet();
        return new EmbeddedKafkaServer(cluster);
    }

    public String bootstrapServers() {
        return cluster.getBrokersAsString();
    }

    /** Takes the broker down (clients see Kafka unavailable) while keeping its port and data. */
    public void stopBroker() {
        var broker = cluster.getCluster().brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Brings a stopped broker back on the same port, with the topics and offsets it had. */
    public void startBroker() {
        cluster.getCluster().brokers().values().iterator().next().startup();
    }

    @Override
    public void close() {
        cluster.destroy();
    }
}
