package io.hostrail.api.invoice;

import io.hostrail.adapters.r2dbc.invoice.R2dbcCreditNotes;
import io.hostrail.adapters.r2dbc.invoice.R2dbcDocumentSequences;
import io.hostrail.adapters.r2dbc.invoice.R2dbcInvoices;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.invoice.port.out.DocumentSequences;
import io.hostrail.invoice.port.out.Invoices;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.tax.service.TaxService;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

@Configuration(proxyBeanMethods = false)
public class InvoiceConfiguration {

    @Bean
    public Invoices invoices(DatabaseClient database, Clock clock) {
        return new R2dbcInvoices(database, clock);
    }

    @Bean
    public DocumentSequences documentSequences(DatabaseClient database) {
        return new R2dbcDocumentSequences(database);
    }

    @Bean
    public InvoiceService invoiceService(Invoices invoices, DocumentSequences sequences, CustomerService customers,
            Catalog catalog, TaxService taxes, BillingSettingsService settings, LedgerService balances, Ledger ledger,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        return new InvoiceService(invoices, sequences, customers, catalog, taxes, settings, balances, ledger, unitOfWork,
                events, audit, ids, clock);
    }

    @Bean
    public CreditNoteService creditNoteService(DatabaseClient database, Invoices invoices, DocumentSequences sequences,
            CustomerService customers, BillingSettingsService settings, Ledger ledger, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        return new CreditNoteService(new R2dbcCreditNotes(database), invoices, sequences, customers, settings, ledger,
                unitOfWork, events, audit, ids, clock);
    }
}
