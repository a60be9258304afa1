package io.hostrail.api.dunning;

import io.hostrail.adapters.r2dbc.dunning.R2dbcDunningPolicies;
import io.hostrail.adapters.r2dbc.dunning.R2dbcDunningRuns;
import io.hostrail.adapters.r2dbc.dunning.R2dbcDunningSteps;
import io.hostrail.api.config.HostrailProperties;
import io.hostrail.api.config.PeriodicTask;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.dunning.service.DunningPolicyService;
import io.hostrail.dunning.service.DunningService;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.invoice.port.out.Invoices;
import io.hostrail.shared.event.EventSubscription;
import io.hostrail.shared.event.EventTypePattern;
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
public class DunningConfiguration {

    @Bean
    public DunningPolicyService dunningPolicyService(DatabaseClient database, UnitOfWork unitOfWork, AuditTrail audit,
            Clock clock) {
        return new DunningPolicyService(new R2dbcDunningPolicies(database, clock), unitOfWork, audit);
    }

    @Bean
    public DunningService dunningService(DatabaseClient database, DunningPolicyService policies, Invoices invoices,
            Subscriptions subscriptions, SubscriptionService subscriptionService, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock, HostrailProperties hostrail) {
        return new DunningService(new R2dbcDunningRuns(database), new R2dbcDunningSteps(database), policies, invoices,
                subscriptions, subscriptionService, unitOfWork, events, audit, ids, clock, hostrail.instanceId());
    }

    /** A paid invoice lifts the suspensions its dunning made, on whichever instance consumes the event. */
    @Bean
    public EventSubscription dunningUnsuspension(DunningService dunning) {
        return new EventSubscription("dunning-unsuspension", EventTypePattern.parse("invoice.paid"),
                dunning::onInvoicePaid);
    }

    /** Every tenant with a step due gets a run, tenant after tenant. */
    @Bean
    public PeriodicTask scheduledDunningRun(Tenants tenants, DunningService dunning, DunningProperties properties) {
        return new PeriodicTask("scheduled dunning run", properties.firstRunAfter(), properties.runEvery(),
                () -> tenants.allIds().concatMap(tenant -> dunning.startScheduled(tenant).flatMap(dunning::execute))
                        .then());
    }
}
