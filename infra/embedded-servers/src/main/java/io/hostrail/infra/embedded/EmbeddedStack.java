package io.hostrail.infra.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, Kafka and Redis together, as the all-in-one run and the integration tests need them.
 * The application sees them only through the standard Spring connection properties returned by
 * {@link #springProperties()}, exactly as it would see external servers.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaServer kafka;
    private final EmbeddedRedisServer redis;

    private EmbeddedStack(EmbeddedPostgresServer postgres, EmbeddedKafkaServer kafka, EmbeddedRedisServer redis) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.redis = redis;
    }

    /**
     * @param dataDirectory where PostgreSQL and Redis keep their files across restarts, or null for
     *     throw-away servers (tests). Kafka's log is always ephemeral: it holds nothing that cannot be
     *     rebuilt from PostgreSQL.
     * @param ports fixed PostgreSQL and Redis ports, or 0 for any free one
     */
    public static EmbeddedStack start(Path dataDirectory, Ports ports) {
        long started = System.nanoTime();
        // The two slow starts overlap; Redis takes milliseconds.
        CompletableFuture<EmbeddedPostgresServer> postgres = startInBackground("postgres", () -> EmbeddedPostgresServer.start(
                dataDirectory == null ? null : dataDirectory.resolve("postgres"), ports.postgres()));
        CompletableFuture<EmbeddedKafkaServer> kafka =
                startInBackground("kafka", () -> EmbeddedKafkaServer.start(ports.kafkaPartitions()));
        EmbeddedRedisServer redis = null;
        try {
            redis = EmbeddedRedisServer.start(dataDirectory == null ? null : dataDirectory.resolve("redis"), ports.redis());
            EmbeddedStack stack = new EmbeddedStack(postgres.join(), kafka.join(), redis);
            log.info("Embedded PostgreSQL :{}, Kafka {}, Redis :{} started in {} ms", stack.postgres.port(),
                    stack.kafka.bootstrapServers(), redis.port(), (System.nanoTime() - started) / 1_000_000);
            return stack;
        } catch (RuntimeException e) {
            closeQuietly(redis);
            postgres.thenAccept(EmbeddedStack::closeQuietly);
            kafka.thenAccept(EmbeddedStack::closeQuietly);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Runs a start on a thread of its own whose context class loader is this class's: Kafka loads its
     * plugin classes through the context loader, which on common-pool threads cannot see a Boot jar.
     */
    private static <T> CompletableFuture<T> startInBackground(String name, Supplier<T> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(start.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "embedded-" + name + "-start");
        thread.setContextClassLoader(EmbeddedStack.class.getClassLoader());
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The standard Spring Boot properties that point the application at these servers. */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", postgres.r2dbcUrl());
        properties.put("spring.r2dbc.username", EmbeddedPostgresServer.APP_USER);
        properties.put("spring.r2dbc.password", EmbeddedPostgresServer.APP_PASSWORD);
        properties.put("spring.flyway.url", postgres.jdbcUrl());
        properties.put("spring.flyway.user", EmbeddedPostgresServer.ADMIN_USER);
        properties.put("spring.flyway.password", EmbeddedPostgresServer.ADMIN_PASSWORD);
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", redis.port());
        return properties;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public EmbeddedKafkaServer kafka() {
        return kafka;
    }

    public EmbeddedRedisServer redis() {
        return redis;
    }

    /** Stops Redis, then Kafka, then PostgreSQL; every one is attempted even if another fails. */
    @Override
    public void close() {
        closeQuietly(redis);
        closeQuietly(kafka);
        closeQuietly(postgres);
    }

    private static void closeQuietly(AutoCloseable server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            log.warn("{} did not stop cleanly: {}", server.getClass().getSimpleName(), e.toString());
        }
    }

    /** Ports to bind (0 means any free port); Kafka always takes a free port. */
    public record Ports(int postgres, int redis, int kafkaPartitions) {

        public static Ports anyFree() {
            return new Ports(0, 0, 6);
        }
    }
}
