package io.hostrail.api.tax;

import io.hostrail.adapters.r2dbc.settings.R2dbcBillingSettings;
import io.hostrail.adapters.r2dbc.tax.R2dbcTaxRules;
import io.hostrail.api.customer.ViesProperties;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.tax.service.TaxService;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class TaxConfiguration {

    @Bean
    public BillingSettingsService billingSettingsService(DatabaseClient database, Clock clock, UnitOfWork unitOfWork,
            AuditTrail audit) {
        return new BillingSettingsService(new R2dbcBillingSettings(database, clock), unitOfWork, audit);
    }

    @Bean
    public TaxService taxService(DatabaseClient database, Clock clock, UnitOfWork unitOfWork, AuditTrail audit,
            IdGenerator ids, CustomerService customers, BillingSettingsService settings, ViesProperties vies) {
        return new TaxService(new R2dbcTaxRules(database, clock), customers, settings, unitOfWork, audit, ids, vies.enabled());
    }
}
