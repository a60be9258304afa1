package io.hostrail.api.payment;

import io.hostrail.adapters.r2dbc.payment.R2dbcPayments;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.payment.port.out.Payments;
import io.hostrail.payment.service.PaymentService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class PaymentConfiguration {

    @Bean
    public Payments payments(DatabaseClient database, Clock clock) {
        return new R2dbcPayments(database, clock);
    }

    @Bean
    public PaymentService paymentService(Payments payments, InvoiceService invoices, CreditNoteService creditNotes,
            CustomerService customers, LedgerService balances, Ledger ledger, UnitOfWork unitOfWork, DomainEvents events,
            AuditTrail audit, IdGenerator ids, Clock clock) {
        return new PaymentService(payments, invoices, creditNotes, customers, balances, ledger, unitOfWork, events,
                audit, ids, clock);
    }
}
