package io.hostrail.api.payment;

import io.hostrail.adapters.r2dbc.payment.R2dbcCustomerPaymentMethods;
import io.hostrail.adapters.r2dbc.payment.R2dbcProviderCustomers;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.SavedPaymentMethodService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.webclient.stripe.StripeApi;
import io.hostrail.webclient.stripe.StripeSavedPaymentMethods;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** Customers' saved cards: kept in PostgreSQL, saved and detached at Stripe through the shared Stripe client. */
@Configuration(proxyBeanMethods = false)
public class SavedPaymentMethodConfiguration {

    @Bean
    public SavedPaymentMethodService savedPaymentMethodService(DatabaseClient database, StripeApi stripeApi,
            PaymentProviderService paymentProviderService, CustomerService customers, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        return new SavedPaymentMethodService(new R2dbcCustomerPaymentMethods(database),
                new R2dbcProviderCustomers(database), new StripeSavedPaymentMethods(stripeApi), paymentProviderService,
                customers, unitOfWork, events, audit, ids, clock);
    }
}
