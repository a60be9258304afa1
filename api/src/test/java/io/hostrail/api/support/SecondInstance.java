package io.hostrail.api.support;

import io.hostrail.api.HostrailApplication;
import io.hostrail.infra.embedded.EmbeddedStackInitializer;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A second, independent application instance on the same embedded PostgreSQL, Kafka and Redis as the test context:
 * what two replicas behind a load balancer are. Started once per JVM, on first use, and closed when the JVM ends.
 */
public final class SecondInstance {

    private static ConfigurableApplicationContext context;

    private SecondInstance() {
    }

    public static synchronized WebTestClient http() {
        if (context == null) {
            context = new SpringApplicationBuilder(HostrailApplication.class)
                    .profiles("test")
                    .properties("hostrail.instance-id=test-b")
                    .initializers(new EmbeddedStackInitializer(), new FakeVies.Initializer(), new FakeProviders.Initializer(),
                            new ShiftedClock.Initializer())
                    // An argument, not a default property: application.yaml sets server.port, and defaults rank below it.
                    .run("--server.port=0");
            Runtime.getRuntime().addShutdownHook(new Thread(context::close, "second-instance-shutdown"));
        }
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
