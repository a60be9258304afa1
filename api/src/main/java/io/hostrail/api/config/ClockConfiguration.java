package io.hostrail.api.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one place that reads the wall clock. Everything else takes this {@link Clock} (the time port),
 * so tests can replace it with a movable clock; an ArchUnit rule forbids other wall-clock calls.
 */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
