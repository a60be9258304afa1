package io.hostrail.invoice.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceEvents.InvoiceCreditApplied;
import io.hostrail.invoice.model.InvoiceEvents.InvoiceFinalized;
import io.hostrail.invoice.model.InvoiceEvents.InvoiceMarkedUncollectible;
import io.hostrail.invoice.model.InvoiceEvents.InvoicePaid;
import io.hostrail.invoice.model.InvoiceEvents.InvoiceVoided;
import io.hostrail.invoice.model.InvoiceLine;
import io.hostrail.invoice.model.InvoiceMovements;
import io.hostrail.invoice.model.InvoicePricing;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.invoice.port.out.DocumentSequences;
import io.hostrail.invoice.port.out.Invoices;
import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.service.TaxService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Invoices from draft to paid, void or written off. Finalizing takes the next gapless number, enters the invoice in
 * the ledger, publishes {@code invoice.finalized} and, when the tenant wants it, spends the customer's credit on it,
 * all in one transaction. Every later movement (credit applied, voided, written off) is a balanced ledger transaction
 * committed with the invoice's new state and its event.
 */
public final class InvoiceService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("invoice.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("invoice.invalid");
    public static final ErrorCode STATE = ErrorCode.conflict("invoice.state_conflict");
    public static final ErrorCode NO_CREDIT = ErrorCode.conflict("invoice.no_credit");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");
    static final int MAX_LINES = 200;

    /** A line as asked for; amounts are decimal strings in the customer's currency. */
    public record LineDraft(String description, Long quantity, String unitPrice, String discount, Instant periodStart,
            Instant periodEnd, UUID productId) {
    }

    public record InvoiceDraft(UUID customerId, List<LineDraft> lines, String memo, Instant dueAt) {
    }

    public record Filter(UUID customerId, String status, UUID afterId, int limit) {
    }

    private final Invoices invoices;
    private final DocumentSequences sequences;
    private final CustomerService customers;
    private final Catalog catalog;
    private final TaxService taxes;
    private final BillingSettingsService settings;
    private final LedgerService balances;
    private final Ledger ledger;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public InvoiceService(Invoices invoices, DocumentSequences sequences, CustomerService customers, Catalog catalog,
            TaxService taxes, BillingSettingsService settings, LedgerService balances, Ledger ledger, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.invoices = invoices;
        this.sequences = sequences;
        this.customers = customers;
        this.catalog = catalog;
        this.taxes = taxes;
        this.settings = settings;
        this.balances = balances;
        this.ledger = ledger;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /** A draft for a customer, in its currency, priced with the taxes that apply to it today. */
    public Mono<Invoice> create(Principal actor, InvoiceDraft draft) {
        if (draft.customerId() == null) {
            return Mono.error(invalid("customerId", "is required"));
        }
        return unitOfWork.inTransaction(() -> customers.accessible(actor, draft.customerId())
                .flatMap(customer -> lines(actor.tenant(), customer, draft)
                        .flatMap(lines -> price(customer, lines))
                        .flatMap(pricing -> invoices.insert(Invoice.draft(ids.newId(), actor.tenant(), customer.id(),
                                customer.currency(), pricing, memo(draft.memo()), draft.dueAt(), clock.instant()))))
                .flatMap(created -> audit.record(actor.tenant(), Actors.of(actor), "invoice.created", "invoice",
                        created.id().toString(), Map.of(), summary(created)).thenReturn(created)));
    }

    /** Replaces a draft's lines, memo and due date; a finalized invoice is refused. */
    public Mono<Invoice> update(Principal actor, UUID id, InvoiceDraft draft, long expectedVersion) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(current -> {
            if (draft.customerId() != null && !draft.customerId().equals(current.customerId())) {
                return Mono.error(invalid("customerId", "an invoice's customer cannot change; create a new draft"));
            }
            if (current.status() != InvoiceStatus.DRAFT) {
                return Mono.error(state(current, "changed; correct it with a credit note"));
            }
            return customers.accessible(actor, current.customerId())
                    .flatMap(customer -> lines(actor.tenant(), customer, draft).flatMap(lines -> price(customer, lines)))
                    .flatMap(pricing -> store(current.repriced(pricing, memo(draft.memo()), draft.dueAt()), expectedVersion))
                    .flatMap(updated -> audit.record(actor.tenant(), Actors.of(actor), "invoice.updated", "invoice",
                            id.toString(), summary(current), summary(updated)).thenReturn(updated));
        }));
    }

    public Mono<Void> deleteDraft(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(current -> current.status() != InvoiceStatus.DRAFT
                ? Mono.<Void>error(state(current, "deleted; void it instead"))
                : invoices.deleteDraft(actor.tenant(), id).then(audit.record(actor.tenant(), Actors.of(actor),
                        "invoice.deleted", "invoice", id.toString(), summary(current), Map.of())).then()));
    }

    /** The invoice, inside the caller's unit of work, for work no user asked for directly. */
    public Mono<Invoice> findInTransaction(TenantId tenant, UUID id) {
        return invoices.find(tenant, id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Staff see every invoice of the tenant; a client user sees its own customer's finalized ones only. */
    public Mono<Invoice> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> visible(actor, id));
    }

    public Flux<Invoice> list(Principal actor, Filter filter) {
        FieldErrors errors = new FieldErrors();
        InvoiceStatus status = filter.status() == null ? null
                : errors.check("status", () -> InvoiceStatus.fromWire(filter.status()));
        boolean client = actor.kind() == UserKind.CLIENT;
        if (client && filter.customerId() != null && !filter.customerId().equals(actor.customerId())) {
            return Flux.empty();
        }
        if (client && status == InvoiceStatus.DRAFT) {
            return Flux.empty();
        }
        try {
            errors.throwIfAny(INVALID, "The filter has invalid values.");
        } catch (DomainException e) {
            return Flux.error(e);
        }
        UUID customer = client ? actor.customerId() : filter.customerId();
        return unitOfWork.inTransactionMany(() -> invoices.list(actor.tenant(),
                new Invoices.Query(customer, status, client, filter.afterId(), filter.limit())));
    }

    /** Numbers and issues a draft: see the class comment. */
    public Mono<Invoice> finalizeDraft(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id)
                .flatMap(draft -> finalizeInTransaction(actor.tenant(), Actors.of(actor), draft)));
    }

    /**
     * Finalizing inside the caller's unit of work, for anyone (a user, the billing run). The draft is repriced with the
     * taxes of the moment, so a rule changed since the draft was made applies.
     */
    public Mono<Invoice> finalizeInTransaction(TenantId tenant, Actor actor, Invoice draft) {
        if (draft.status() != InvoiceStatus.DRAFT) {
            return Mono.error(state(draft, "finalized again"));
        }
        Instant now = clock.instant();
        return settings.current(tenant).flatMap(tenantSettings -> customers.lockedForBilling(tenant, draft.customerId())
                .flatMap(customer -> taxes.taxationFor(tenantSettings, customer)
                        .map(taxation -> InvoicePricing.price(customer.currency(),
                                draft.pricing().lines().stream().map(InvoiceLine::draft).toList(), taxation, ids::newId))
                        .flatMap(pricing -> numbers(tenant, tenantSettings, now, 1)
                                .map(first -> draft.finalized(number(tenantSettings, now, first), pricing, now)))
                        .flatMap(issued -> store(issued, draft.version()))
                        .flatMap(issued -> ledger.recordAll(issueMovement(issued))
                                .then(events.recordAll(tenant, issueEvents(issued)))
                                .then(audit.record(tenant, actor, "invoice.finalized", "invoice", issued.id().toString(),
                                        Map.of(), summary(issued)))
                                .then(tenantSettings.applyCreditAutomatically() && issued.status() == InvoiceStatus.OPEN
                                        ? spendCredit(tenant, actor, customer, issued, null, true) : Mono.just(issued)))));
    }

    /**
     * Drafts and finalizes an invoice in one go, inside the caller's unit of work: a subscription's first invoice. The
     * customer must already be locked for billing by the caller ({@link CustomerService#lockedForBilling}).
     */
    public Mono<Invoice> issueInTransaction(TenantId tenant, Actor actor, Customer customer, UUID invoiceId,
            List<InvoiceLine.Draft> lines, Instant dueAt, String memo) {
        return issueTerms(tenant)
                .flatMap(terms -> Mono.fromCallable(() -> priced(terms, customer, invoiceId, lines, dueAt, memo))
                        .flatMap(draft -> issueAllInTransaction(terms, List.of(draft), List.of(customer))))
                .map(List::getFirst)
                .flatMap(issued -> audit.record(tenant, actor, "invoice.finalized", "invoice", invoiceId.toString(),
                                Map.of(), summary(issued.finalized()))
                        .then(issued.creditTransactionId() == null ? Mono.empty()
                                : auditCreditApplied(actor, issued.invoice(), issued.invoice().creditApplied(),
                                        issued.creditTransactionId()))
                        .thenReturn(issued.invoice()));
    }

    /** A tenant's billing settings and tax rules, read once to price and issue many invoices alike. */
    public record IssueTerms(TenantId tenant, BillingSettings settings, List<TaxRule> taxRules) {
    }

    /**
     * An invoice issued by {@link #issueAllInTransaction}: as it was finalized, as it is now (credit may have been
     * applied to it at once, by the ledger transaction named, or null when none was).
     */
    public record Issued(Invoice finalized, Invoice invoice, UUID creditTransactionId) {
    }

    public Mono<IssueTerms> issueTerms(TenantId tenant) {
        return settings.current(tenant).zipWith(taxes.rules(tenant),
                (tenantSettings, rules) -> new IssueTerms(tenant, tenantSettings, rules));
    }

    /**
     * A draft of the lines for the customer, priced with its taxes under the terms; nothing is recorded, so it can be
     * refused before anything is written.
     *
     * @throws DomainException          when the customer's tax place is unknown
     * @throws IllegalArgumentException when the lines are not in the customer's currency
     */
    public Invoice priced(IssueTerms terms, Customer customer, UUID invoiceId, List<InvoiceLine.Draft> lines,
            Instant dueAt, String memo) {
        InvoicePricing pricing = InvoicePricing.price(customer.currency(), lines,
                taxes.taxation(terms.settings(), customer, terms.taxRules()), ids::newId);
        return Invoice.draft(invoiceId, terms.tenant(), customer.id(), customer.currency(), pricing, memo, dueAt,
                clock.instant());
    }

    /**
     * Issues priced drafts ({@link #priced}) together, inside the caller's unit of work, each exactly as finalizing a
     * draft does it: the next gapless number (one block for all, in the drafts' order), the receivable, revenue and tax
     * in the ledger, {@code invoice.finalized}, and the customer's credit spent on it when the tenant's settings say so.
     * Every write is one statement for the whole batch. The customers must be locked for billing by the caller. No audit
     * record: the caller records what it did, one per invoice or one per batch.
     */
    public Mono<List<Issued>> issueAllInTransaction(IssueTerms terms, List<Invoice> drafts, Collection<Customer> customers) {
        if (drafts.isEmpty()) {
            return Mono.just(List.of());
        }
        TenantId tenant = terms.tenant();
        BillingSettings tenantSettings = terms.settings();
        Instant now = clock.instant();
        Mono<Map<UUID, Money>> credits = tenantSettings.applyCreditAutomatically()
                ? balances.creditsOf(tenant, customers) : Mono.just(Map.of());
        return numbers(tenant, tenantSettings, now, drafts.size()).zipWith(credits).flatMap(found -> {
            long first = found.getT1();
            Map<UUID, Money> available = new HashMap<>(found.getT2());
            List<Issued> issued = new ArrayList<>(drafts.size());
            List<LedgerTransaction> movements = new ArrayList<>();
            List<DomainEvent> recorded = new ArrayList<>();
            for (int i = 0; i < drafts.size(); i++) {
                Invoice draft = drafts.get(i);
                if (draft.status() != InvoiceStatus.DRAFT) {
                    return Mono.error(state(draft, "finalized again"));
                }
                Invoice finalized = draft.finalized(number(tenantSettings, now, first + i), draft.pricing(), now);
                movements.addAll(issueMovement(finalized));
                recorded.addAll(issueEvents(finalized));
                Money credit = available.get(finalized.customerId());
                Spend spend = null;
                if (credit != null && credit.isPositive() && finalized.status() == InvoiceStatus.OPEN
                        && credit.currency().equals(finalized.currency())) {
                    spend = spend(finalized, min(credit, finalized.amountDue()));
                    available.put(finalized.customerId(), credit.minus(spend.amount()));
                    movements.add(spend.movement());
                    recorded.addAll(spend.events());
                }
                issued.add(spend == null ? new Issued(finalized, finalized, null)
                        : new Issued(finalized, spend.invoice(), spend.movement().id()));
            }
            return invoices.insertAll(issued.stream().map(Issued::invoice).toList())
                    .then(ledger.recordAll(movements))
                    .then(events.recordAll(tenant, recorded))
                    .thenReturn(List.copyOf(issued));
        });
    }

    /**
     * Spends the customer's credit on an open or written-off invoice: {@code amount}, or as much as both allow when
     * it is null.
     */
    public Mono<Invoice> applyCredit(Principal actor, UUID id, String amount) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(invoice -> customers
                .lockedForBilling(actor.tenant(), invoice.customerId())
                .flatMap(customer -> {
                    Money wanted;
                    try {
                        wanted = amount == null ? null : positive(Money.parse(amount, invoice.currency().getCurrencyCode()));
                    } catch (IllegalArgumentException e) {
                        return Mono.error(invalid("amount", e.getMessage()));
                    }
                    if (invoice.status() != InvoiceStatus.OPEN && invoice.status() != InvoiceStatus.UNCOLLECTIBLE) {
                        return Mono.error(state(invoice, "paid with credit"));
                    }
                    // A written-off invoice that credit notes cleared stays uncollectible with nothing left due.
                    if (!invoice.amountDue().isPositive()) {
                        return Mono.error(new DomainException(STATE, "Invoice " + invoice.number()
                                + " has nothing left due."));
                    }
                    return spendCredit(actor.tenant(), Actors.of(actor), customer, invoice, wanted, false);
                })));
    }

    public Mono<Invoice> voidInvoice(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(invoice -> {
            Invoice voided;
            try {
                voided = invoice.voided(clock.instant());
            } catch (IllegalStateException e) {
                return Mono.error(new DomainException(STATE, e.getMessage() + "."));
            }
            return store(voided, invoice.version())
                    .flatMap(stored -> record(InvoiceMovements.voided(invoice, ids.newId(), clock.instant()))
                            .then(events.record(actor.tenant(), new InvoiceVoided(stored.id(), stored.number(),
                                    stored.customerId(), stored.currency().getCurrencyCode(),
                                    stored.pricing().total().minorUnits())))
                            .then(audit.record(actor.tenant(), Actors.of(actor), "invoice.voided", "invoice", id.toString(),
                                    summary(invoice), summary(stored)))
                            .thenReturn(stored));
        }));
    }

    /** Writes off what is still due: the receivable becomes bad debt, recovered if the invoice is paid later. */
    public Mono<Invoice> markUncollectible(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(invoice -> {
            Invoice writtenOff;
            try {
                writtenOff = invoice.markedUncollectible(clock.instant());
            } catch (IllegalStateException e) {
                return Mono.error(new DomainException(STATE, e.getMessage() + "."));
            }
            return store(writtenOff, invoice.version())
                    .flatMap(stored -> record(InvoiceMovements.writtenOff(invoice, ids.newId(), clock.instant()))
                            .then(events.record(actor.tenant(), new InvoiceMarkedUncollectible(stored.id(), stored.number(),
                                    stored.customerId(), stored.currency().getCurrencyCode(),
                                    invoice.amountDue().minorUnits())))
                            .then(audit.record(actor.tenant(), Actors.of(actor), "invoice.marked_uncollectible", "invoice",
                                    id.toString(), summary(invoice), summary(stored)))
                            .thenReturn(stored));
        }));
    }

    /**
     * Spends credit on the invoice: {@code wanted}, or as much as there is and is due. Done automatically, having no
     * credit (or credit in another currency) is nothing to apply; asked for, it is refused.
     */
    private Mono<Invoice> spendCredit(TenantId tenant, Actor actor, Customer customer, Invoice invoice, Money wanted,
            boolean automatic) {
        return balances.balanceOf(customer).flatMap(balance -> {
            Money available = balance.credit();
            Money due = invoice.amountDue();
            if (!available.currency().equals(invoice.currency()) || !available.isPositive()) {
                return automatic ? Mono.just(invoice)
                        : Mono.error(new DomainException(NO_CREDIT, "The customer has no credit in "
                                + invoice.currency().getCurrencyCode() + " to apply."));
            }
            if (wanted != null && (wanted.compareTo(available) > 0 || wanted.compareTo(due) > 0)) {
                return Mono.error(new DomainException(NO_CREDIT, "At most " + min(available, due)
                        + " of credit can be applied: the customer has " + available + " and " + due + " is due."));
            }
            Spend spend = spend(invoice, wanted != null ? wanted : min(available, due));
            return store(spend.invoice(), invoice.version())
                    .flatMap(stored -> ledger.record(spend.movement())
                            .then(events.recordAll(tenant, spend.events()))
                            .then(auditCreditApplied(actor, stored, spend.amount(), spend.movement().id()))
                            .thenReturn(stored));
        });
    }

    /**
     * Takes a payment's part off the invoice, which the caller read under its customer's lock, inside the caller's unit
     * of work; {@code invoice.paid} when nothing is left due. The payment records its own ledger movement.
     */
    public Mono<Invoice> paymentReceivedInTransaction(Invoice invoice, Money amount) {
        Invoice paid = invoice.paymentReceived(amount, clock.instant());
        return store(paid, invoice.version()).flatMap(stored -> stored.status() == InvoiceStatus.PAID
                ? events.record(stored.tenant(), paidEvent(stored)).thenReturn(stored) : Mono.just(stored));
    }

    /** Credit spent on an invoice: the invoice after it, the ledger movement and the events that say so. */
    private record Spend(Invoice invoice, Money amount, LedgerTransaction movement, List<DomainEvent> events) {
    }

    private Spend spend(Invoice invoice, Money amount) {
        Invoice credited = invoice.creditApplied(amount, clock.instant());
        UUID customerId = invoice.customerId();
        LedgerTransaction movement = InvoiceMovements.creditApplied(invoice, amount, ids.newId(), clock.instant());
        List<DomainEvent> recorded = new ArrayList<>();
        recorded.add(new InvoiceCreditApplied(credited.id(), credited.number(), customerId,
                credited.currency().getCurrencyCode(), amount.minorUnits(), credited.amountDue().minorUnits(),
                movement.id()));
        if (credited.status() == InvoiceStatus.PAID) {
            recorded.add(paidEvent(credited));
        }
        return new Spend(credited, amount, movement, recorded);
    }

    private Mono<Void> auditCreditApplied(Actor actor, Invoice invoice, Money amount, UUID transactionId) {
        return audit.record(invoice.tenant(), actor, "invoice.credit_applied", "invoice", invoice.id().toString(), Map.of(),
                Map.of("amount", amount.toString(), "transaction", transactionId.toString())).then();
    }

    private static InvoicePaid paidEvent(Invoice invoice) {
        return new InvoicePaid(invoice.id(), invoice.number(), invoice.customerId(), invoice.currency().getCurrencyCode(),
                invoice.pricing().total().minorUnits(), invoice.paidAt());
    }

    /** What finalizing publishes: {@code invoice.finalized}, and {@code invoice.paid} for one with nothing due. */
    private static List<DomainEvent> issueEvents(Invoice issued) {
        InvoiceFinalized finalized = new InvoiceFinalized(issued.id(), issued.number(), issued.customerId(),
                issued.currency().getCurrencyCode(), issued.pricing().total().minorUnits(),
                issued.pricing().taxTotal().minorUnits(), issued.amountDue().minorUnits(), issued.dueAt());
        return issued.status() == InvoiceStatus.PAID ? List.of(finalized, paidEvent(issued)) : List.of(finalized);
    }

    private Mono<Void> record(java.util.Optional<LedgerTransaction> movement) {
        return movement.map(transaction -> ledger.record(transaction).then()).orElse(Mono.empty());
    }

    /** The receivable, revenue and tax an issued invoice creates; nothing for a free one. */
    private List<LedgerTransaction> issueMovement(Invoice invoice) {
        return InvoiceMovements.issued(invoice, ids.newId(), clock.instant()).map(List::of).orElse(List.of());
    }

    private Mono<String> number(TenantId tenant, BillingSettings tenantSettings, Instant at) {
        return sequences.nextNumber(tenant, DocumentSequences.Kind.INVOICE, tenantSettings.invoiceNumbers(), at);
    }

    /** Takes {@code count} gapless numbers of the scope {@code at} falls in, and returns the first. */
    private Mono<Long> numbers(TenantId tenant, BillingSettings tenantSettings, Instant at, int count) {
        ZonedDateTime issued = at.atZone(ZoneOffset.UTC);
        return sequences.nextBlock(tenant, DocumentSequences.Kind.INVOICE,
                tenantSettings.invoiceNumbers().sequenceScope(issued.getYear(), issued.getMonthValue()), count);
    }

    private static String number(BillingSettings tenantSettings, Instant at, long sequence) {
        ZonedDateTime issued = at.atZone(ZoneOffset.UTC);
        return tenantSettings.invoiceNumbers().render(issued.getYear(), issued.getMonthValue(), sequence);
    }

    private Mono<Invoice> store(Invoice invoice, long expectedVersion) {
        return invoices.update(invoice, expectedVersion).switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                "The invoice was changed by someone else meanwhile; reload it and try again.")));
    }

    private Mono<InvoicePricing> price(Customer customer, List<InvoiceLine.Draft> lines) {
        return settings.current(customer.tenant()).flatMap(tenantSettings -> taxes.taxationFor(tenantSettings, customer))
                .map(taxation -> InvoicePricing.price(customer.currency(), lines, taxation, ids::newId));
    }

    /** The draft's lines in the customer's currency, each field checked; products must be the tenant's own. */
    private Mono<List<InvoiceLine.Draft>> lines(TenantId tenant, Customer customer, InvoiceDraft draft) {
        FieldErrors errors = new FieldErrors();
        List<LineDraft> asked = draft.lines() == null ? List.of() : draft.lines();
        if (asked.size() > MAX_LINES) {
            errors.add("lines", "at most " + MAX_LINES + " lines");
        }
        if (draft.memo() != null && draft.memo().length() > Invoice.MAX_MEMO) {
            errors.add("memo", "at most " + Invoice.MAX_MEMO + " characters");
        }
        String currency = customer.currency().getCurrencyCode();
        List<InvoiceLine.Draft> lines = new ArrayList<>();
        for (int i = 0; i < asked.size() && asked.size() <= MAX_LINES; i++) {
            LineDraft line = asked.get(i);
            String field = "lines[" + i + "]";
            if (line == null) {
                errors.add(field, "must not be null");
                continue;
            }
            Money unitPrice = errors.check(field + ".unitPrice", () -> Money.parse(FieldErrors.required(line.unitPrice()),
                    currency));
            Money discount = line.discount() == null ? null
                    : errors.check(field + ".discount", () -> Money.parse(line.discount(), currency));
            if (line.quantity() != null && (line.quantity() < 1 || line.quantity() > InvoiceLine.MAX_QUANTITY)) {
                errors.add(field + ".quantity", "from 1 to " + InvoiceLine.MAX_QUANTITY);
                continue;
            }
            if (unitPrice == null || (line.discount() != null && discount == null)) {
                continue;
            }
            InvoiceLine.Draft built = errors.check(field, () -> new InvoiceLine.Draft(line.description(),
                    line.quantity() == null ? 1 : line.quantity(), unitPrice, discount, line.periodStart(), line.periodEnd(),
                    line.productId(), null));
            if (built != null) {
                lines.add(built);
            }
        }
        try {
            errors.throwIfAny(INVALID, "The invoice has invalid fields.");
        } catch (DomainException e) {
            return Mono.error(e);
        }
        List<UUID> products = lines.stream().map(InvoiceLine.Draft::productId).filter(Objects::nonNull).distinct().toList();
        if (products.isEmpty()) {
            return Mono.just(lines);
        }
        return catalog.findProducts(tenant, products).map(p -> p.id()).collectList().flatMap(found -> {
            FieldErrors unknown = new FieldErrors();
            for (int i = 0; i < lines.size(); i++) {
                UUID product = lines.get(i).productId();
                if (product != null && !found.contains(product)) {
                    unknown.add("lines[" + i + "].productId", "no product " + product + " exists");
                }
            }
            return unknown.isEmpty() ? Mono.just(lines)
                    : Mono.error(unknown.toException(INVALID, "The invoice has invalid fields."));
        });
    }

    private Mono<Invoice> visible(Principal actor, UUID id) {
        return invoices.find(actor.tenant(), id)
                .filter(invoice -> actor.kind() != UserKind.CLIENT
                        || (invoice.customerId().equals(actor.customerId()) && invoice.status().isFinalized()))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Staff only: changing invoices needs invoice:write, which client users never have. */
    private Mono<Invoice> staffVisible(Principal actor, UUID id) {
        return actor.kind() == UserKind.CLIENT ? Mono.error(notFound(id)) : visible(actor, id);
    }

    private static String memo(String memo) {
        return memo == null || memo.isBlank() ? null : memo.strip();
    }

    private static Money positive(Money amount) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return amount;
    }

    private static Money min(Money a, Money b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static DomainException invalid(String field, String message) {
        FieldErrors errors = new FieldErrors();
        errors.add(field, message);
        return errors.toException(INVALID, "The invoice has invalid fields.");
    }

    private static DomainException state(Invoice invoice, String action) {
        return new DomainException(STATE, "Invoice " + (invoice.number() == null ? invoice.id() : invoice.number())
                + " is " + invoice.status().wireName() + " and cannot be " + action + ".");
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No invoice " + id + " exists.");
    }

    private static Map<String, String> summary(Invoice invoice) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("status", invoice.status().wireName());
        summary.put("customer", invoice.customerId().toString());
        summary.put("number", invoice.number() == null ? "" : invoice.number());
        summary.put("total", invoice.pricing().total().toString());
        summary.put("due", invoice.amountDue().toString());
        summary.put("lines", Integer.toString(invoice.pricing().lines().size()));
        return summary;
    }
}
