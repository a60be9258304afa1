package io.hostrail.api.catalog;

import io.hostrail.adapters.r2dbc.catalog.R2dbcCatalog;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.port.out.Catalog;
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
    public Catalog catalog(DatabaseClient database, Clock clock) {
        return new R2dbcCatalog(database, clock);
    }

    @Bean
    public CatalogService catalogService(Catalog catalog, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit,
            IdGenerator ids) {
        return new CatalogService(catalog, unitOfWork, events, audit, ids);
    }
}
