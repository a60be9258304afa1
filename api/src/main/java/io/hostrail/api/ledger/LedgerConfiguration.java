package io.hostrail.api.ledger;

import io.hostrail.adapters.r2dbc.ledger.R2dbcLedger;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {

    @Bean
    public Ledger ledger(DatabaseClient database) {
        return new R2dbcLedger(database);
    }

    @Bean
    public LedgerService ledgerService(Ledger ledger, CustomerService customers, Clock clock, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids) {
        return new LedgerService(ledger, customers, unitOfWork, events, audit, ids, clock);
    }
}
