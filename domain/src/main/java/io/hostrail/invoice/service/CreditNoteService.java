package io.hostrail.invoice.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.model.CreditDecision;
import io.hostrail.invoice.model.CreditNote;
import io.hostrail.invoice.model.CreditNoteIssued;
import io.hostrail.invoice.model.CreditNoteLine;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceEvents.InvoicePaid;
import io.hostrail.invoice.model.InvoiceLine;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.invoice.port.out.CreditNotes;
import io.hostrail.invoice.port.out.DocumentSequences;
import io.hostrail.invoice.port.out.Invoices;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Credit notes on finalized invoices. Issuing one takes the next gapless credit note number, stores the credit note,
 * takes its settled part off the invoice's amount due, records one balanced ledger movement, and publishes
 * {@code credit_note.issued} (and {@code invoice.paid} when it clears an open invoice), all in one transaction. Issues
 * for one customer are serialized by the customer's billing lock, so two credit notes on an invoice can never both
 * take what is left of it.
 */
public final class CreditNoteService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("credit_note.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("credit_note.invalid");
    public static final ErrorCode NOT_CREDITABLE = ErrorCode.conflict("credit_note.invoice_not_creditable");
    public static final ErrorCode EXCEEDS_INVOICE = ErrorCode.conflict("credit_note.exceeds_invoice");
    public static final ErrorCode EXCEEDS_LINE = ErrorCode.conflict("credit_note.exceeds_line");

    /** A line as asked for; the amount is a decimal string in the invoice's currency, net or gross as it was taxed. */
    public record LineRequest(String description, String amount, UUID invoiceLineId) {
    }

    public record CreditNoteRequest(String reason, List<LineRequest> lines) {
    }

    public record Filter(UUID invoiceId, UUID customerId, UUID afterId, int limit) {
    }

    /** A request whose every field was checked. */
    private record Asked(String reason, List<CreditNoteLine.Draft> lines) {
    }

    private final CreditNotes creditNotes;
    private final Invoices invoices;
    private final DocumentSequences sequences;
    private final CustomerService customers;
    private final BillingSettingsService settings;
    private final Ledger ledger;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public CreditNoteService(CreditNotes creditNotes, Invoices invoices, DocumentSequences sequences,
            CustomerService customers, BillingSettingsService settings, Ledger ledger, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.creditNotes = creditNotes;
        this.invoices = invoices;
        this.sequences = sequences;
        this.customers = customers;
        this.settings = settings;
        this.ledger = ledger;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Issues a credit note on an open, paid or written-off invoice. Refused, with nothing stored: a bad field (400), a
     * draft or void invoice (409), more than is left to credit on the invoice or on a line it names (409).
     */
    public Mono<CreditNote> issue(Principal actor, UUID invoiceId, CreditNoteRequest request) {
        TenantId tenant = actor.tenant();
        return unitOfWork.inTransaction(() -> staffInvoice(actor, invoiceId)
                .flatMap(seen -> asked(seen, request)
                        .flatMap(asked -> customers.lockedForBilling(tenant, seen.customerId())
                                // Read again under the customer's lock: an issue that held it before us is now in.
                                .flatMap(customer -> invoices.find(tenant, invoiceId))
                                .switchIfEmpty(Mono.error(() -> invoiceNotFound(invoiceId)))
                                .flatMap(invoice -> creditNotes.ofInvoice(tenant, invoiceId).collectList()
                                        .flatMap(earlier -> decided(tenant, Actors.of(actor), invoice,
                                                CreditDecision.decide(invoice, earlier, asked.lines(), ids::newId),
                                                asked.reason()))))));
    }

    /** Staff see every credit note of the tenant; a client user its own customer's only. */
    public Mono<CreditNote> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> creditNotes.find(actor.tenant(), id)
                .filter(note -> actor.kind() != UserKind.CLIENT || note.customerId().equals(actor.customerId()))
                .switchIfEmpty(Mono.error(() -> new DomainException(NOT_FOUND, "No credit note " + id + " exists."))));
    }

    public Flux<CreditNote> list(Principal actor, Filter filter) {
        boolean client = actor.kind() == UserKind.CLIENT;
        if (client && filter.customerId() != null && !filter.customerId().equals(actor.customerId())) {
            return Flux.empty();
        }
        UUID customer = client ? actor.customerId() : filter.customerId();
        return unitOfWork.inTransactionMany(() -> creditNotes.list(actor.tenant(),
                new CreditNotes.Query(filter.invoiceId(), customer, filter.afterId(), filter.limit())));
    }

    /**
     * Issues a credit note inside the caller's unit of work, for work no user asked for directly (a plan change): the
     * caller has locked the customer for billing and read the invoice under that lock. Refused as {@link #issue} is.
     */
    public Mono<CreditNote> issueInTransaction(TenantId tenant, Actor actor, Invoice invoice, String reason,
            List<CreditNoteLine.Draft> lines) {
        return creditNotes.ofInvoice(tenant, invoice.id()).collectList()
                .flatMap(earlier -> decided(tenant, actor, invoice, CreditDecision.decide(invoice, earlier, lines, ids::newId),
                        CreditNote.reason(reason)));
    }

    /** What credit notes may still give back on the invoice, inside the caller's unit of work. */
    public Mono<Money> creditableInTransaction(TenantId tenant, Invoice invoice) {
        return creditNotes.ofInvoice(tenant, invoice.id()).map(CreditNote::total)
                .reduce(Money.zero(invoice.currency()), Money::plus)
                .map(given -> invoice.pricing().total().minus(given));
    }

    private Mono<CreditNote> decided(TenantId tenant, Actor actor, Invoice invoice, CreditDecision decision,
            String reason) {
        String invoiceName = invoice.number() == null ? invoice.id().toString() : invoice.number();
        return switch (decision) {
            case CreditDecision.NotCreditable refused -> Mono.error(new DomainException(NOT_CREDITABLE, "Invoice "
                    + invoiceName + " is " + refused.status().wireName() + "; only open, paid or uncollectible invoices"
                    + " are credited."));
            case CreditDecision.ExceedsInvoice refused -> Mono.error(new DomainException(EXCEEDS_INVOICE, "The credit"
                    + " notes of invoice " + invoiceName + " cannot give back more than its total, "
                    + invoice.pricing().total() + "; " + refused.remaining() + " is left to credit."));
            case CreditDecision.ExceedsLines refused -> Mono.error(new DomainException(EXCEEDS_LINE, "Some lines give"
                    + " back more than is left of the invoice lines they name.", refused.lines().stream()
                            .map(excess -> new FieldViolation("lines[" + excess.index() + "].amount", "gives back "
                                    + excess.asked() + " of invoice line " + excess.invoiceLineId() + ", of which "
                                    + excess.remaining() + " is left"))
                            .toList()));
            case CreditDecision.Allowed allowed -> issueAllowed(tenant, actor, invoice, allowed, reason);
        };
    }

    private Mono<CreditNote> issueAllowed(TenantId tenant, Actor actor, Invoice invoice, CreditDecision.Allowed allowed,
            String reason) {
        Instant now = clock.instant();
        return settings.current(tenant).flatMap(tenantSettings -> number(tenant, tenantSettings, now)).flatMap(number -> {
            CreditNote note = CreditNote.issue(ids.newId(), number, invoice, reason, allowed, now);
            LedgerTransaction movement = note.movement(ids.newId(), invoice.status());
            Invoice credited = invoice.credited(note.appliedToInvoice(), now);
            // A paid invoice has nothing due: the whole credit note went to credit, and the invoice stays as it is.
            Mono<Invoice> settled = note.appliedToInvoice().isPositive() ? store(credited, invoice.version())
                    : Mono.just(invoice);
            return creditNotes.insert(note)
                    .then(settled)
                    .flatMap(after -> ledger.record(movement)
                            .then(events.record(tenant, new CreditNoteIssued(note.id(), note.number(), invoice.id(),
                                    invoice.number(), note.customerId(), note.currency().getCurrencyCode(),
                                    note.total().minorUnits(), note.taxTotal().minorUnits(),
                                    note.appliedToInvoice().minorUnits(), note.toCredit().minorUnits(),
                                    after.amountDue().minorUnits(), movement.id())))
                            .then(audit.record(tenant, actor, "credit_note.issued", "credit_note",
                                    note.id().toString(), Map.of(), summary(note)))
                            .then(invoice.status() != InvoiceStatus.PAID && after.status() == InvoiceStatus.PAID
                                    ? events.record(tenant, new InvoicePaid(after.id(), after.number(), after.customerId(),
                                            after.currency().getCurrencyCode(), after.pricing().total().minorUnits(),
                                            after.paidAt())).then()
                                    : Mono.<Void>empty())
                            .thenReturn(note));
        });
    }

    /** Every field of the request checked against the invoice, all at once. */
    private Mono<Asked> asked(Invoice invoice, CreditNoteRequest request) {
        FieldErrors errors = new FieldErrors();
        String reason = null;
        try {
            reason = CreditNote.reason(request.reason());
        } catch (IllegalArgumentException e) {
            errors.addRuleViolation(e, "reason");
        }
        List<LineRequest> asked = request.lines() == null ? List.of() : request.lines();
        if (asked.isEmpty() || asked.size() > CreditNote.MAX_LINES) {
            errors.add("lines", "from 1 to " + CreditNote.MAX_LINES + " lines");
        }
        String currency = invoice.currency().getCurrencyCode();
        Set<UUID> invoiceLines = invoice.pricing().lines().stream().map(InvoiceLine::id).collect(Collectors.toSet());
        List<CreditNoteLine.Draft> lines = new ArrayList<>();
        for (int i = 0; i < asked.size() && asked.size() <= CreditNote.MAX_LINES; i++) {
            LineRequest line = asked.get(i);
            String field = "lines[" + i + "]";
            if (line == null) {
                errors.add(field, "must not be null");
                continue;
            }
            boolean valid = true;
            if (line.description() == null || line.description().isBlank()) {
                errors.add(field + ".description", "is required");
                valid = false;
            } else if (line.description().strip().length() > CreditNoteLine.MAX_DESCRIPTION) {
                errors.add(field + ".description", "at most " + CreditNoteLine.MAX_DESCRIPTION + " characters");
                valid = false;
            }
            Money amount = errors.check(field + ".amount", () -> positive(Money.parse(FieldErrors.required(line.amount()),
                    currency)));
            if (line.invoiceLineId() != null && !invoiceLines.contains(line.invoiceLineId())) {
                errors.add(field + ".invoiceLineId", "is not a line of this invoice");
                valid = false;
            }
            if (valid && amount != null) {
                lines.add(new CreditNoteLine.Draft(line.description(), amount, line.invoiceLineId()));
            }
        }
        return errors.isEmpty() ? Mono.just(new Asked(reason, lines))
                : Mono.error(errors.toException(INVALID, "The credit note has invalid fields."));
    }

    /** Issuing needs invoice:write, which client users never have; to them every invoice is unknown here. */
    private Mono<Invoice> staffInvoice(Principal actor, UUID id) {
        if (actor.kind() == UserKind.CLIENT) {
            return Mono.error(invoiceNotFound(id));
        }
        return invoices.find(actor.tenant(), id).switchIfEmpty(Mono.error(() -> invoiceNotFound(id)));
    }

    private Mono<String> number(TenantId tenant, BillingSettings tenantSettings, Instant at) {
        return sequences.nextNumber(tenant, DocumentSequences.Kind.CREDIT_NOTE, tenantSettings.creditNoteNumbers(), at);
    }

    private Mono<Invoice> store(Invoice invoice, long expectedVersion) {
        return invoices.update(invoice, expectedVersion).switchIfEmpty(Mono.error(() -> new DomainException(
                InvoiceService.STALE, "The invoice was changed by someone else meanwhile; reload it and try again.")));
    }

    private static Money positive(Money amount) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return amount;
    }

    private static DomainException invoiceNotFound(UUID id) {
        return new DomainException(InvoiceService.NOT_FOUND, "No invoice " + id + " exists.");
    }

    private static Map<String, String> summary(CreditNote note) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("number", note.number());
        summary.put("invoice", note.invoiceNumber());
        summary.put("customer", note.customerId().toString());
        summary.put("total", note.total().toString());
        summary.put("appliedToInvoice", note.appliedToInvoice().toString());
        summary.put("toCredit", note.toCredit().toString());
        summary.put("reason", note.reason());
        summary.put("lines", Integer.toString(note.lines().size()));
        return summary;
    }
}
