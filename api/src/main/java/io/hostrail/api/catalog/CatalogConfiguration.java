package io.hostrail.api.catalog;

import io.hostrail.adapters.r2dbc.catalog.R2dbcCatalog;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.service.CatalogService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class CatalogConfiguration {

    @Bean
    public CatalogService catalogService(DatabaseClient database, Clock clock, UnitOfWork unitOfWork, DomainEvents events,
            AuditTrail audit, IdGenerator ids) {
        return new CatalogService(new R2dbcCatalog(database, clock), unitOfWork, events, audit, ids);
    }
}
