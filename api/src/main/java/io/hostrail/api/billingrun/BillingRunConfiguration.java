package io.hostrail.api.billingrun;

import io.hostrail.adapters.r2dbc.billingrun.R2dbcBillingRuns;
import io.hostrail.api.config.HostrailProperties;
import io.hostrail.api.config.PeriodicTask;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.subscription.port.out.Subscriptions;
import io.hostrail.subscription.service.SubscriptionService;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class BillingRunConfiguration {

    @Bean
    public BillingRunService billingRunService(DatabaseClient database, Subscriptions subscriptions,
            SubscriptionService subscriptionService, BillingSettingsService settings, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock, HostrailProperties hostrail,
            BillingRunProperties properties) {
        return new BillingRunService(new R2dbcBillingRuns(database), subscriptions, subscriptionService, settings,
                unitOfWork, events, audit, ids, clock, hostrail.instanceId(), properties.batchSize(),
                properties.workers());
    }

    /** Every tenant with something to renew or invoice gets a run, tenant after tenant. */
    @Bean
    public PeriodicTask scheduledBillingRun(Tenants tenants, BillingRunService runs, BillingRunProperties properties) {
        return new PeriodicTask("scheduled billing run", properties.firstRunAfter(), properties.runEvery(),
                () -> tenants.allIds().concatMap(tenant -> runs.startScheduled(tenant).flatMap(runs::execute)).then());
    }
}
