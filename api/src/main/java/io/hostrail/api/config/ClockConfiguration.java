package io.hostrail.api.config;

import java.time.Clock;
import java.time.Duration;
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
        // Microseconds, what PostgreSQL's timestamptz keeps: an instant read back equals the one written, so a
        // period computed before saving is the period found after.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
