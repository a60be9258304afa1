package io.hostrail.api.customer;

import io.hostrail.adapters.r2dbc.customer.R2dbcCustomers;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.port.out.VatRegistry;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.webclient.vies.ViesVatRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class CustomerConfiguration {

    @Bean
    public CustomerService customerService(DatabaseClient database, JsonMapper json, Clock clock, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, ViesProperties vies, WebClient.Builder webClients) {
        VatRegistry registry = vies.enabled() ? new ViesVatRegistry(webClients, vies.settings(), clock) : null;
        return new CustomerService(new R2dbcCustomers(database, json, clock), unitOfWork, events, audit, ids, registry, clock);
    }
}
