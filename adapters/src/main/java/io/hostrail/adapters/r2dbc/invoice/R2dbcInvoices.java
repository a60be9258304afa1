package io.hostrail.adapters.r2dbc.invoice;

import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceLine;
import io.hostrail.invoice.model.InvoicePricing;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.invoice.model.InvoiceTax;
import io.hostrail.invoice.port.out.Invoices;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.tax.model.TaxCalculation;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An invoice is its row plus its lines and taxes; lines and taxes are rewritten only while it is a draft. */
public final class R2dbcInvoices implements Invoices {

    private static final String COLUMNS = """
            id, tenant_id, customer_id, number, status, currency, tax_basis, tax_rounding, tax_note, subtotal_minor,
            discount_minor, tax_minor, total_minor, credit_applied_minor, amount_paid_minor, credited_minor, memo,
            issued_at, due_at, paid_at, closed_at, created_at, version""";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcInvoices(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The invoice row as read, before its lines and taxes are attached. */
    private record Header(UUID id, TenantId tenant, UUID customerId, String number, InvoiceStatus status,
            Currency currency, TaxCalculation.Basis basis, TaxCalculation.Rounding rounding, String taxNote, long subtotal,
            long discount, long tax, long total, long creditApplied, long amountPaid, long credited, String memo,
            Instant issuedAt, Instant dueAt, Instant paidAt, Instant closedAt, Instant createdAt, long version) {

        Invoice with(List<InvoiceLine> lines, List<InvoiceTax> taxes) {
            InvoicePricing pricing = new InvoicePricing(lines, taxes, basis, rounding, taxNote, money(subtotal),
                    money(discount), money(tax), money(total));
            return new Invoice(id, tenant, customerId, number, status, currency, pricing, money(creditApplied),
                    money(amountPaid), money(credited), memo, issuedAt, dueAt, paidAt, closedAt, createdAt, version);
        }

        Money money(long minor) {
            return new Money(minor, currency);
        }
    }

    @Override
    public Mono<Invoice> insert(Invoice invoice) {
        return insertAll(List.of(invoice)).thenReturn(invoice);
    }

    /**
     * Three statements for any number of invoices, each column travelling as an array. Lines and taxes go first: the
     * database refuses detail added to an invoice that is already finalized, and these are written with the invoice,
     * not added to it later (their foreign key to the invoice is checked at commit).
     */
    @Override
    public Mono<Void> insertAll(List<Invoice> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] customers = new UUID[n];
        String[] numbers = new String[n];
        String[] statuses = new String[n];
        String[] currencies = new String[n];
        String[] bases = new String[n];
        String[] roundings = new String[n];
        String[] taxNotes = new String[n];
        Long[] subtotals = new Long[n];
        Long[] discounts = new Long[n];
        Long[] taxes = new Long[n];
        Long[] totals = new Long[n];
        Long[] credits = new Long[n];
        Long[] paid = new Long[n];
        String[] memos = new String[n];
        Instant[] issued = new Instant[n];
        Instant[] due = new Instant[n];
        Instant[] paidAt = new Instant[n];
        Instant[] closedAt = new Instant[n];
        Instant[] created = new Instant[n];
        for (int i = 0; i < n; i++) {
            Invoice invoice = batch.get(i);
            InvoicePricing pricing = invoice.pricing();
            ids[i] = invoice.id();
            customers[i] = invoice.customerId();
            numbers[i] = invoice.number();
            statuses[i] = invoice.status().wireName();
            currencies[i] = invoice.currency().getCurrencyCode();
            bases[i] = pricing.basis().name().toLowerCase(Locale.ROOT);
            roundings[i] = pricing.rounding().name().toLowerCase(Locale.ROOT);
            taxNotes[i] = pricing.taxNote();
            subtotals[i] = pricing.subtotal().minorUnits();
            discounts[i] = pricing.discountTotal().minorUnits();
            taxes[i] = pricing.taxTotal().minorUnits();
            totals[i] = pricing.total().minorUnits();
            credits[i] = invoice.creditApplied().minorUnits();
            paid[i] = invoice.amountPaid().minorUnits();
            memos[i] = invoice.memo();
            issued[i] = invoice.issuedAt();
            due[i] = invoice.dueAt();
            paidAt[i] = invoice.paidAt();
            closedAt[i] = invoice.closedAt();
            created[i] = invoice.createdAt();
        }
        return insertDetail(batch).then(database.sql("""
                        INSERT INTO invoice (id, tenant_id, customer_id, number, status, currency, tax_basis, tax_rounding,
                            tax_note, subtotal_minor, discount_minor, tax_minor, total_minor, credit_applied_minor,
                            amount_paid_minor, memo, issued_at, due_at, paid_at, closed_at, created_at, updated_at, version)
                        SELECT i.id, :tenant, i.customer_id, i.number, i.status, i.currency, i.tax_basis, i.tax_rounding,
                            i.tax_note, i.subtotal, i.discount, i.tax, i.total, i.credit_applied, i.amount_paid, i.memo,
                            i.issued_at, i.due_at, i.paid_at, i.closed_at, i.created_at, :now, 0
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:customers AS uuid[]), CAST(:numbers AS text[]),
                            CAST(:statuses AS text[]), CAST(:currencies AS text[]), CAST(:bases AS text[]),
                            CAST(:roundings AS text[]), CAST(:taxNotes AS text[]), CAST(:subtotals AS bigint[]),
                            CAST(:discounts AS bigint[]), CAST(:taxes AS bigint[]), CAST(:totals AS bigint[]),
                            CAST(:credits AS bigint[]), CAST(:paid AS bigint[]), CAST(:memos AS text[]),
                            CAST(:issued AS timestamptz[]), CAST(:due AS timestamptz[]), CAST(:paidAt AS timestamptz[]),
                            CAST(:closedAt AS timestamptz[]), CAST(:created AS timestamptz[]))
                            AS i (id, customer_id, number, status, currency, tax_basis, tax_rounding, tax_note, subtotal,
                                discount, tax, total, credit_applied, amount_paid, memo, issued_at, due_at, paid_at,
                                closed_at, created_at)
                        """)
                .bind("tenant", batch.getFirst().tenant().value()).bind("now", clock.instant())
                .bind("ids", ids).bind("customers", customers).bind("numbers", numbers).bind("statuses", statuses)
                .bind("currencies", currencies).bind("bases", bases).bind("roundings", roundings)
                .bind("taxNotes", taxNotes).bind("subtotals", subtotals).bind("discounts", discounts)
                .bind("taxes", taxes).bind("totals", totals).bind("credits", credits).bind("paid", paid)
                .bind("memos", memos).bind("issued", issued).bind("due", due).bind("paidAt", paidAt)
                .bind("closedAt", closedAt).bind("created", created)
                .fetch().rowsUpdated().then());
    }

    @Override
    public Mono<Invoice> update(Invoice invoice, long expectedVersion) {
        // A draft's lines are rewritten first: once the row says finalized, the database refuses to touch them.
        return database.sql("SELECT status FROM invoice WHERE tenant_id = :tenant AND id = :id AND version = :version")
                .bind("tenant", invoice.tenant().value()).bind("id", invoice.id()).bind("version", expectedVersion)
                .map(row -> row.get("status", String.class)).one()
                .flatMap(storedStatus -> ("draft".equals(storedStatus) ? rewriteDetail(invoice) : Mono.<Void>empty())
                        .then(bind(database.sql("""
                                        UPDATE invoice SET number = :number, status = :status, tax_basis = :basis,
                                            tax_rounding = :rounding, tax_note = :taxNote, subtotal_minor = :subtotal,
                                            discount_minor = :discount, tax_minor = :tax, total_minor = :total,
                                            credit_applied_minor = :creditApplied, amount_paid_minor = :amountPaid,
                                            credited_minor = :credited, memo = :memo, issued_at = :issuedAt,
                                            due_at = :dueAt, paid_at = :paidAt, closed_at = :closedAt, updated_at = :now,
                                            version = version + 1
                                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                                            AND customer_id = :customer AND currency = :currency AND created_at = :createdAt
                                        """), invoice)
                                .bind("version", expectedVersion).fetch().rowsUpdated()))
                .filter(updated -> updated == 1)
                .map(updated -> new Invoice(invoice.id(), invoice.tenant(), invoice.customerId(), invoice.number(),
                        invoice.status(), invoice.currency(), invoice.pricing(), invoice.creditApplied(),
                        invoice.amountPaid(), invoice.credited(), invoice.memo(), invoice.issuedAt(), invoice.dueAt(), invoice.paidAt(),
                        invoice.closedAt(), invoice.createdAt(), expectedVersion + 1));
    }

    @Override
    public Mono<Invoice> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcInvoices::toHeader).one()
                .flatMap(header -> withDetail(List.of(header)).next());
    }

    @Override
    public Flux<Invoice> list(TenantId tenant, Query query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = :tenant");
        if (query.customerId() != null) {
            sql.append(" AND customer_id = :customer");
        }
        if (query.status() != null) {
            sql.append(" AND status = :status");
        }
        if (query.finalizedOnly()) {
            sql.append(" AND status <> 'draft'");
        }
        if (query.afterId() != null) {
            sql.append(" AND id > :after");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        GenericExecuteSpec spec = database.sql(sql.toString()).bind("tenant", tenant.value()).bind("limit", query.limit());
        if (query.customerId() != null) {
            spec = spec.bind("customer", query.customerId());
        }
        if (query.status() != null) {
            spec = spec.bind("status", query.status().wireName());
        }
        if (query.afterId() != null) {
            spec = spec.bind("after", query.afterId());
        }
        return spec.map(R2dbcInvoices::toHeader).all().collectList().flatMapMany(this::withDetail);
    }

    @Override
    public Mono<Boolean> deleteDraft(TenantId tenant, UUID id) {
        return database.sql("DELETE FROM invoice WHERE tenant_id = :tenant AND id = :id AND status = 'draft'")
                .bind("tenant", tenant.value()).bind("id", id).fetch().rowsUpdated().map(deleted -> deleted == 1);
    }

    /** The lines and taxes of a page of invoices in two queries, whatever the page's size. */
    private Flux<Invoice> withDetail(List<Header> headers) {
        if (headers.isEmpty()) {
            return Flux.empty();
        }
        UUID[] ids = headers.stream().map(Header::id).toArray(UUID[]::new);
        Map<UUID, Currency> currencies = headers.stream().collect(Collectors.toMap(Header::id, Header::currency));
        Mono<Map<UUID, List<InvoiceLine>>> lines = database.sql("""
                        SELECT invoice_id, id, description, quantity, unit_price_minor, discount_minor, period_start,
                            period_end, product_id, subscription_id, net_minor, tax_minor, total_minor
                        FROM invoice_line WHERE tenant_id = :tenant AND invoice_id = ANY(:ids) ORDER BY invoice_id, position
                        """)
                .bind("tenant", headers.getFirst().tenant().value()).bind("ids", ids)
                .map(row -> Map.entry(row.get("invoice_id", UUID.class), toLine(row, currencies)))
                .all().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Mono<Map<UUID, List<InvoiceTax>>> taxes = database.sql("""
                        SELECT invoice_id, name, percent, compound, country, region, amount_minor FROM invoice_tax
                        WHERE tenant_id = :tenant AND invoice_id = ANY(:ids) ORDER BY invoice_id, position
                        """)
                .bind("tenant", headers.getFirst().tenant().value()).bind("ids", ids)
                .map(row -> Map.entry(row.get("invoice_id", UUID.class), new InvoiceTax(row.get("name", String.class),
                        row.get("percent", BigDecimal.class).stripTrailingZeros(), row.get("compound", Boolean.class),
                        row.get("country", String.class), row.get("region", String.class),
                        new Money(row.get("amount_minor", Long.class),
                                currencies.get(row.get("invoice_id", UUID.class))))))
                .all().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return Mono.zip(lines, taxes).flatMapMany(detail -> Flux.fromIterable(headers).map(header -> header.with(
                detail.getT1().getOrDefault(header.id(), List.of()), detail.getT2().getOrDefault(header.id(), List.of()))));
    }

    private Mono<Void> rewriteDetail(Invoice invoice) {
        return database.sql("DELETE FROM invoice_line WHERE tenant_id = :tenant AND invoice_id = :id")
                .bind("tenant", invoice.tenant().value()).bind("id", invoice.id()).fetch().rowsUpdated()
                .then(database.sql("DELETE FROM invoice_tax WHERE tenant_id = :tenant AND invoice_id = :id")
                        .bind("tenant", invoice.tenant().value()).bind("id", invoice.id()).fetch().rowsUpdated())
                .then(insertDetail(List.of(invoice)));
    }

    /** The lines and taxes of the invoices, in one statement each, positions counted per invoice. */
    private Mono<Void> insertDetail(List<Invoice> batch) {
        List<UUID> lineIds = new ArrayList<>();
        List<UUID> lineInvoices = new ArrayList<>();
        List<Integer> linePositions = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        List<Long> quantities = new ArrayList<>();
        List<Long> unitPrices = new ArrayList<>();
        List<Long> lineDiscounts = new ArrayList<>();
        List<Instant> periodStarts = new ArrayList<>();
        List<Instant> periodEnds = new ArrayList<>();
        List<UUID> products = new ArrayList<>();
        List<UUID> subscriptions = new ArrayList<>();
        List<Long> nets = new ArrayList<>();
        List<Long> lineTaxes = new ArrayList<>();
        List<Long> lineTotals = new ArrayList<>();
        List<UUID> taxInvoices = new ArrayList<>();
        List<Integer> taxPositions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<BigDecimal> percents = new ArrayList<>();
        List<Boolean> compounds = new ArrayList<>();
        List<String> countries = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        for (Invoice invoice : batch) {
            List<InvoiceLine> lines = invoice.pricing().lines();
            for (int i = 0; i < lines.size(); i++) {
                InvoiceLine line = lines.get(i);
                lineIds.add(line.id());
                lineInvoices.add(invoice.id());
                linePositions.add(i);
                descriptions.add(line.description());
                quantities.add(line.quantity());
                unitPrices.add(line.unitPrice().minorUnits());
                lineDiscounts.add(line.discount().minorUnits());
                periodStarts.add(line.periodStart());
                periodEnds.add(line.periodEnd());
                products.add(line.productId());
                subscriptions.add(line.subscriptionId());
                nets.add(line.net().minorUnits());
                lineTaxes.add(line.tax().minorUnits());
                lineTotals.add(line.total().minorUnits());
            }
            List<InvoiceTax> taxes = invoice.pricing().taxes();
            for (int i = 0; i < taxes.size(); i++) {
                InvoiceTax tax = taxes.get(i);
                taxInvoices.add(invoice.id());
                taxPositions.add(i);
                names.add(tax.name());
                percents.add(tax.percent());
                compounds.add(tax.compound());
                countries.add(tax.country());
                regions.add(tax.region());
                amounts.add(tax.amount().minorUnits());
            }
        }
        UUID tenant = batch.getFirst().tenant().value();
        Mono<Long> lines = lineIds.isEmpty() ? Mono.empty() : database.sql("""
                        INSERT INTO invoice_line (id, tenant_id, invoice_id, position, description, quantity,
                            unit_price_minor, discount_minor, period_start, period_end, product_id, subscription_id,
                            net_minor, tax_minor, total_minor)
                        SELECT l.id, :tenant, l.invoice_id, l.position, l.description, l.quantity, l.unit_price,
                            l.discount, l.period_start, l.period_end, l.product_id, l.subscription_id, l.net, l.tax, l.total
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:invoices AS uuid[]), CAST(:positions AS integer[]),
                            CAST(:descriptions AS text[]), CAST(:quantities AS bigint[]), CAST(:unitPrices AS bigint[]),
                            CAST(:discounts AS bigint[]), CAST(:periodStarts AS timestamptz[]),
                            CAST(:periodEnds AS timestamptz[]), CAST(:products AS uuid[]), CAST(:subscriptions AS uuid[]),
                            CAST(:nets AS bigint[]), CAST(:taxes AS bigint[]), CAST(:totals AS bigint[]))
                            AS l (id, invoice_id, position, description, quantity, unit_price, discount, period_start,
                                period_end, product_id, subscription_id, net, tax, total)
                        """)
                .bind("tenant", tenant).bind("ids", lineIds.toArray(UUID[]::new))
                .bind("invoices", lineInvoices.toArray(UUID[]::new))
                .bind("positions", linePositions.toArray(Integer[]::new))
                .bind("descriptions", descriptions.toArray(String[]::new))
                .bind("quantities", quantities.toArray(Long[]::new)).bind("unitPrices", unitPrices.toArray(Long[]::new))
                .bind("discounts", lineDiscounts.toArray(Long[]::new))
                .bind("periodStarts", periodStarts.toArray(Instant[]::new))
                .bind("periodEnds", periodEnds.toArray(Instant[]::new)).bind("products", products.toArray(UUID[]::new))
                .bind("subscriptions", subscriptions.toArray(UUID[]::new)).bind("nets", nets.toArray(Long[]::new))
                .bind("taxes", lineTaxes.toArray(Long[]::new)).bind("totals", lineTotals.toArray(Long[]::new))
                .fetch().rowsUpdated();
        Mono<Long> taxes = taxInvoices.isEmpty() ? Mono.empty() : database.sql("""
                        INSERT INTO invoice_tax (tenant_id, invoice_id, position, name, percent, compound, country, region,
                            amount_minor)
                        SELECT :tenant, t.invoice_id, t.position, t.name, t.percent, t.compound, t.country, t.region,
                            t.amount
                        FROM unnest(CAST(:invoices AS uuid[]), CAST(:positions AS integer[]), CAST(:names AS text[]),
                            CAST(:percents AS numeric[]), CAST(:compounds AS boolean[]), CAST(:countries AS text[]),
                            CAST(:regions AS text[]), CAST(:amounts AS bigint[]))
                            AS t (invoice_id, position, name, percent, compound, country, region, amount)
                        """)
                .bind("tenant", tenant).bind("invoices", taxInvoices.toArray(UUID[]::new))
                .bind("positions", taxPositions.toArray(Integer[]::new)).bind("names", names.toArray(String[]::new))
                .bind("percents", percents.toArray(BigDecimal[]::new))
                .bind("compounds", compounds.toArray(Boolean[]::new))
                .bind("countries", countries.toArray(String[]::new)).bind("regions", regions.toArray(String[]::new))
                .bind("amounts", amounts.toArray(Long[]::new))
                .fetch().rowsUpdated();
        return lines.then(taxes).then();
    }

    private GenericExecuteSpec bind(GenericExecuteSpec spec, Invoice invoice) {
        InvoicePricing pricing = invoice.pricing();
        spec = spec.bind("id", invoice.id()).bind("tenant", invoice.tenant().value())
                .bind("customer", invoice.customerId()).bind("status", invoice.status().wireName())
                .bind("currency", invoice.currency().getCurrencyCode())
                .bind("basis", pricing.basis().name().toLowerCase(Locale.ROOT))
                .bind("rounding", pricing.rounding().name().toLowerCase(Locale.ROOT))
                .bind("subtotal", pricing.subtotal().minorUnits()).bind("discount", pricing.discountTotal().minorUnits())
                .bind("tax", pricing.taxTotal().minorUnits()).bind("total", pricing.total().minorUnits())
                .bind("creditApplied", invoice.creditApplied().minorUnits())
                .bind("amountPaid", invoice.amountPaid().minorUnits())
                .bind("credited", invoice.credited().minorUnits())
                .bind("createdAt", invoice.createdAt()).bind("now", clock.instant());
        spec = nullable(spec, "number", invoice.number(), String.class);
        spec = nullable(spec, "taxNote", pricing.taxNote(), String.class);
        spec = nullable(spec, "memo", invoice.memo(), String.class);
        spec = nullable(spec, "issuedAt", invoice.issuedAt(), Instant.class);
        spec = nullable(spec, "dueAt", invoice.dueAt(), Instant.class);
        spec = nullable(spec, "paidAt", invoice.paidAt(), Instant.class);
        return nullable(spec, "closedAt", invoice.closedAt(), Instant.class);
    }

    private static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private static Header toHeader(Readable row) {
        return new Header(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("customer_id", UUID.class), row.get("number", String.class),
                InvoiceStatus.fromWire(row.get("status", String.class)), Currency.getInstance(row.get("currency", String.class)),
                TaxCalculation.Basis.valueOf(row.get("tax_basis", String.class).toUpperCase(Locale.ROOT)),
                TaxCalculation.Rounding.valueOf(row.get("tax_rounding", String.class).toUpperCase(Locale.ROOT)),
                row.get("tax_note", String.class), row.get("subtotal_minor", Long.class),
                row.get("discount_minor", Long.class), row.get("tax_minor", Long.class), row.get("total_minor", Long.class),
                row.get("credit_applied_minor", Long.class), row.get("amount_paid_minor", Long.class),
                row.get("credited_minor", Long.class), row.get("memo", String.class), row.get("issued_at", Instant.class), row.get("due_at", Instant.class),
                row.get("paid_at", Instant.class), row.get("closed_at", Instant.class), row.get("created_at", Instant.class),
                row.get("version", Long.class));
    }

    private static InvoiceLine toLine(Readable row, Map<UUID, Currency> currencies) {
        Currency currency = currencies.get(row.get("invoice_id", UUID.class));
        return new InvoiceLine(row.get("id", UUID.class), row.get("description", String.class),
                row.get("quantity", Long.class), new Money(row.get("unit_price_minor", Long.class), currency),
                new Money(row.get("discount_minor", Long.class), currency), row.get("period_start", Instant.class),
                row.get("period_end", Instant.class), row.get("product_id", UUID.class),
                row.get("subscription_id", UUID.class), new Money(row.get("net_minor", Long.class), currency),
                new Money(row.get("tax_minor", Long.class), currency), new Money(row.get("total_minor", Long.class), currency));
    }
}
