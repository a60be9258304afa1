package io.hostrail.api.tax;

import io.hostrail.adapters.r2dbc.tax.R2dbcTaxRules;
import io.hostrail.audit.service.AuditTrail;
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
    public TaxService taxService(DatabaseClient database, Clock clock, UnitOfWork unitOfWork, AuditTrail audit,
            IdGenerator ids) {
        return new TaxService(new R2dbcTaxRules(database, clock), unitOfWork, audit, ids);
    }
}
