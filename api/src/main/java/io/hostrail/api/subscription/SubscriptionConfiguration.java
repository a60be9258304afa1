package io.hostrail.api.subscription;

import io.hostrail.adapters.r2dbc.subscription.R2dbcSubscriptions;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.coupon.service.CouponService;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.settings.service.BillingSettingsService;
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
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class SubscriptionConfiguration {

    @Bean
    public Subscriptions subscriptions(DatabaseClient database, JsonMapper json, Clock clock) {
        return new R2dbcSubscriptions(database, json, clock);
    }

    @Bean
    public SubscriptionService subscriptionService(Subscriptions subscriptions, Catalog catalog, CustomerService customers,
            InvoiceService invoices, CreditNoteService creditNotes, CouponService coupons, BillingSettingsService settings,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        return new SubscriptionService(subscriptions, catalog, customers, invoices, creditNotes, coupons, settings,
                unitOfWork, events, audit, ids, clock);
    }

    /** A paid first invoice starts its subscription, on whichever instance consumes the event. */
    @Bean
    public EventSubscription subscriptionActivation(SubscriptionService subscriptions) {
        return new EventSubscription("subscription-activation", EventTypePattern.parse("invoice.paid"),
                subscriptions::onInvoicePaid);
    }
}
