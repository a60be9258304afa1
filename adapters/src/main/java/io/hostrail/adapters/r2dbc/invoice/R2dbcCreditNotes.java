package io.hostrail.adapters.r2dbc.invoice;

import io.hostrail.invoice.model.CreditNote;
import io.hostrail.invoice.model.CreditNoteLine;
import io.hostrail.invoice.model.InvoiceTax;
import io.hostrail.invoice.port.out.CreditNotes;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A credit note is its row plus its lines and taxes, written once. The application's role may only insert and read
 * them; the database also refuses one that would credit more than its invoice's total.
 */
public final class R2dbcCreditNotes implements CreditNotes {

    private static final String COLUMNS = """
            id, tenant_id, invoice_id, invoice_number, customer_id, number, currency, reason, subtotal_minor, tax_minor,
            total_minor, applied_to_invoice_minor, to_credit_minor, issued_at""";

    private final DatabaseClient database;

    public R2dbcCreditNotes(DatabaseClient database) {
        this.database = database;
    }

    /** The credit note row as read, before its lines and taxes are attached. */
    private record Header(UUID id, TenantId tenant, UUID invoiceId, String invoiceNumber, UUID customerId, String number,
            Currency currency, String reason, long subtotal, long tax, long total, long appliedToInvoice, long toCredit,
            Instant issuedAt) {

        CreditNote with(List<CreditNoteLine> lines, List<InvoiceTax> taxes) {
            return new CreditNote(id, tenant, invoiceId, invoiceNumber, customerId, number, currency, reason, lines, taxes,
                    money(subtotal), money(tax), money(total), money(appliedToInvoice), money(toCredit), issuedAt);
        }

        Money money(long minor) {
            return new Money(minor, currency);
        }
    }

    @Override
    public Mono<CreditNote> insert(CreditNote note) {
        return database.sql("""
                        INSERT INTO credit_note (id, tenant_id, invoice_id, invoice_number, customer_id, number, currency,
                            reason, subtotal_minor, tax_minor, total_minor, applied_to_invoice_minor, to_credit_minor,
                            issued_at)
                        VALUES (:id, :tenant, :invoice, :invoiceNumber, :customer, :number, :currency, :reason, :subtotal,
                            :tax, :total, :applied, :toCredit, :issuedAt)
                        """)
                .bind("id", note.id()).bind("tenant", note.tenant().value()).bind("invoice", note.invoiceId())
                .bind("invoiceNumber", note.invoiceNumber()).bind("customer", note.customerId())
                .bind("number", note.number()).bind("currency", note.currency().getCurrencyCode())
                .bind("reason", note.reason()).bind("subtotal", note.subtotal().minorUnits())
                .bind("tax", note.taxTotal().minorUnits()).bind("total", note.total().minorUnits())
                .bind("applied", note.appliedToInvoice().minorUnits()).bind("toCredit", note.toCredit().minorUnits())
                .bind("issuedAt", note.issuedAt())
                .fetch().rowsUpdated()
                .then(writeDetail(note))
                .thenReturn(note);
    }

    @Override
    public Mono<CreditNote> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM credit_note WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcCreditNotes::toHeader).one()
                .flatMap(header -> withDetail(List.of(header)).next());
    }

    @Override
    public Flux<CreditNote> ofInvoice(TenantId tenant, UUID invoiceId) {
        return database.sql("SELECT " + COLUMNS + " FROM credit_note WHERE tenant_id = :tenant AND invoice_id = :invoice"
                        + " ORDER BY id")
                .bind("tenant", tenant.value()).bind("invoice", invoiceId).map(R2dbcCreditNotes::toHeader).all()
                .collectList().flatMapMany(this::withDetail);
    }

    @Override
    public Flux<CreditNote> list(TenantId tenant, Query query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM credit_note WHERE tenant_id = :tenant");
        if (query.invoiceId() != null) {
            sql.append(" AND invoice_id = :invoice");
        }
        if (query.customerId() != null) {
            sql.append(" AND customer_id = :customer");
        }
        if (query.afterId() != null) {
            sql.append(" AND id > :after");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        GenericExecuteSpec spec = database.sql(sql.toString()).bind("tenant", tenant.value()).bind("limit", query.limit());
        if (query.invoiceId() != null) {
            spec = spec.bind("invoice", query.invoiceId());
        }
        if (query.customerId() != null) {
            spec = spec.bind("customer", query.customerId());
        }
        if (query.afterId() != null) {
            spec = spec.bind("after", query.afterId());
        }
        return spec.map(R2dbcCreditNotes::toHeader).all().collectList().flatMapMany(this::withDetail);
    }

    /** The lines and taxes of a page of credit notes in two queries, whatever the page's size. */
    private Flux<CreditNote> withDetail(List<Header> headers) {
        if (headers.isEmpty()) {
            return Flux.empty();
        }
        UUID[] ids = headers.stream().map(Header::id).toArray(UUID[]::new);
        UUID tenant = headers.getFirst().tenant().value();
        Map<UUID, Currency> currencies = headers.stream().collect(Collectors.toMap(Header::id, Header::currency));
        Mono<Map<UUID, List<CreditNoteLine>>> lines = database.sql("""
                        SELECT credit_note_id, id, invoice_line_id, description, amount_minor, net_minor, tax_minor,
                            total_minor
                        FROM credit_note_line WHERE tenant_id = :tenant AND credit_note_id = ANY(:ids)
                        ORDER BY credit_note_id, position
                        """)
                .bind("tenant", tenant).bind("ids", ids)
                .map(row -> Map.entry(row.get("credit_note_id", UUID.class), toLine(row, currencies)))
                .all().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Mono<Map<UUID, List<InvoiceTax>>> taxes = database.sql("""
                        SELECT credit_note_id, name, percent, compound, country, region, amount_minor FROM credit_note_tax
                        WHERE tenant_id = :tenant AND credit_note_id = ANY(:ids) ORDER BY credit_note_id, position
                        """)
                .bind("tenant", tenant).bind("ids", ids)
                .map(row -> Map.entry(row.get("credit_note_id", UUID.class), new InvoiceTax(row.get("name", String.class),
                        row.get("percent", BigDecimal.class).stripTrailingZeros(), row.get("compound", Boolean.class),
                        row.get("country", String.class), row.get("region", String.class),
                        new Money(row.get("amount_minor", Long.class),
                                currencies.get(row.get("credit_note_id", UUID.class))))))
                .all().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return Mono.zip(lines, taxes).flatMapMany(detail -> Flux.fromIterable(headers).map(header -> header.with(
                detail.getT1().getOrDefault(header.id(), List.of()), detail.getT2().getOrDefault(header.id(), List.of()))));
    }

    private Mono<Void> writeDetail(CreditNote note) {
        List<Mono<Long>> writes = new ArrayList<>();
        for (int i = 0; i < note.lines().size(); i++) {
            CreditNoteLine line = note.lines().get(i);
            GenericExecuteSpec spec = database.sql("""
                            INSERT INTO credit_note_line (id, tenant_id, credit_note_id, position, invoice_line_id,
                                description, amount_minor, net_minor, tax_minor, total_minor)
                            VALUES (:id, :tenant, :creditNote, :position, :invoiceLine, :description, :amount, :net, :tax,
                                :total)
                            """)
                    .bind("id", line.id()).bind("tenant", note.tenant().value()).bind("creditNote", note.id())
                    .bind("position", i).bind("description", line.description())
                    .bind("amount", line.amount().minorUnits()).bind("net", line.net().minorUnits())
                    .bind("tax", line.tax().minorUnits()).bind("total", line.total().minorUnits());
            spec = line.invoiceLineId() == null ? spec.bindNull("invoiceLine", UUID.class)
                    : spec.bind("invoiceLine", line.invoiceLineId());
            writes.add(spec.fetch().rowsUpdated());
        }
        for (int i = 0; i < note.taxes().size(); i++) {
            InvoiceTax tax = note.taxes().get(i);
            GenericExecuteSpec spec = database.sql("""
                            INSERT INTO credit_note_tax (tenant_id, credit_note_id, position, name, percent, compound,
                                country, region, amount_minor)
                            VALUES (:tenant, :creditNote, :position, :name, :percent, :compound, :country, :region, :amount)
                            """)
                    .bind("tenant", note.tenant().value()).bind("creditNote", note.id()).bind("position", i)
                    .bind("name", tax.name()).bind("percent", tax.percent()).bind("compound", tax.compound())
                    .bind("country", tax.country()).bind("amount", tax.amount().minorUnits());
            spec = tax.region() == null ? spec.bindNull("region", String.class) : spec.bind("region", tax.region());
            writes.add(spec.fetch().rowsUpdated());
        }
        return Flux.concat(writes).then();
    }

    private static Header toHeader(Readable row) {
        return new Header(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("invoice_id", UUID.class), row.get("invoice_number", String.class),
                row.get("customer_id", UUID.class), row.get("number", String.class),
                Currency.getInstance(row.get("currency", String.class)), row.get("reason", String.class),
                row.get("subtotal_minor", Long.class), row.get("tax_minor", Long.class), row.get("total_minor", Long.class),
                row.get("applied_to_invoice_minor", Long.class), row.get("to_credit_minor", Long.class),
                row.get("issued_at", Instant.class));
    }

    private static CreditNoteLine toLine(Readable row, Map<UUID, Currency> currencies) {
        Currency currency = currencies.get(row.get("credit_note_id", UUID.class));
        return new CreditNoteLine(row.get("id", UUID.class), row.get("invoice_line_id", UUID.class),
                row.get("description", String.class), new Money(row.get("amount_minor", Long.class), currency),
                new Money(row.get("net_minor", Long.class), currency), new Money(row.get("tax_minor", Long.class), currency),
                new Money(row.get("total_minor", Long.class), currency));
    }
}
