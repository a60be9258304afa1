package io.hostrail.infra.local;

import io.hostrail.api.HostrailApplication;
import io.hostrail.infra.embedded.EmbeddedStack;
import io.hostrail.infra.embedded.EmbeddedStackInitializer;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hostrail all-in-one: real PostgreSQL, Kafka (KRaft) and Redis started in this process's care, then
 * the API against them. PostgreSQL and Redis keep their data in {@code hostrail.data-dir} (default
 * {@code ./data}) across restarts. Ctrl-C stops the application first, then the servers.
 */
public final class LocalRunner {

    private LocalRunner() {
    }

    public static void main(String[] args) {
        Path dataDirectory = Path.of(setting("hostrail.data-dir", "HOSTRAIL_DATA_DIR", "data")).toAbsolutePath().normalize();
        EmbeddedStack.Ports ports = new EmbeddedStack.Ports(
                Integer.parseInt(setting("hostrail.local.postgres-port", "HOSTRAIL_LOCAL_POSTGRES_PORT", "0")),
                Integer.parseInt(setting("hostrail.local.redis-port", "HOSTRAIL_LOCAL_REDIS_PORT", "0")),
                6);
        System.out.println("Hostrail all-in-one: starting PostgreSQL, Kafka and Redis (data in " + dataDirectory + ")");
        EmbeddedStack stack = EmbeddedStack.start(dataDirectory, ports);

        SpringApplication application = new SpringApplication(HostrailApplication.class);
        application.addInitializers(new EmbeddedStackInitializer(stack));
        application.setDefaultProperties(LocalMasterKey.properties(dataDirectory));
        // One hook stops things in order; Spring's own hook could race the servers' shutdown.
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context;
        try {
            context = application.run(args);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Hostrail all-in-one: stopping");
            try {
                context.close();
            } finally {
                stack.close();
            }
            System.out.println("Hostrail all-in-one: stopped; data kept in " + dataDirectory);
        }, "hostrail-shutdown"));
        System.out.println("Hostrail all-in-one ready: PostgreSQL " + stack.postgres().jdbcUrl()
                + " | Kafka " + stack.kafka().bootstrapServers() + " | Redis 127.0.0.1:" + stack.redis().port());
    }

    private static String setting(String property, String environmentVariable, String defaultValue) {
        String fromProperty = System.getProperty(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        String fromEnvironment = System.getenv(environmentVariable);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : defaultValue;
    }
}
