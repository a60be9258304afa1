package io.hostrail.api.support;

import io.hostrail.api.HostrailApplication;
import io.hostrail.infra.embedded.EmbeddedStackInitializer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port, against the JVM's shared embedded PostgreSQL, Kafka and
 * Redis, the fake VIES and the clock tests can move ({@link ShiftedClock}). Every class using exactly this annotation shares one cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = HostrailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hostrail.instance-id=test-a")
@ActiveProfiles("test")
@ContextConfiguration(initializers = {EmbeddedStackInitializer.class, FakeVies.Initializer.class,
        FakeProviders.Initializer.class, ShiftedClock.Initializer.class})
// Generous: a busy two-core CI machine must give slow answers, not flaky failures.
@AutoConfigureWebTestClient(timeout = "30s")
@Import({SpineProbe.Configuration.class, ProbeController.class})
public @interface HostrailIntegrationTest {
}
