package io.hostrail.api.idempotency;

import io.hostrail.adapters.r2dbc.idempotency.R2dbcIdempotencyRecords;
import io.hostrail.api.config.PeriodicTask;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.shared.idempotency.IdempotentRequests;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The filter itself is built by the security configuration, inside its chain, not registered as a bean. */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    @Bean
    public IdempotentRequests idempotentRequests(DatabaseClient database, UnitOfWork unitOfWork, Clock clock) {
        return new IdempotentRequests(new R2dbcIdempotencyRecords(database), unitOfWork, clock);
    }

    /** Keys expire a day after they were first used; swept hourly. */
    @Bean
    public PeriodicTask idempotencyKeyPurge(IdempotentRequests requests, Tenants tenants) {
        return new PeriodicTask("idempotency key purge", Duration.ofHours(1), Duration.ofHours(1),
                () -> requests.purge(tenants.allIds()));
    }
}
