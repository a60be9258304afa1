package io.hostrail.payment.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.model.CreditNote;
import io.hostrail.invoice.model.CreditNoteLine;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentEvents.PaymentDisputed;
import io.hostrail.payment.model.PaymentEvents.PaymentReceived;
import io.hostrail.payment.model.PaymentEvents.PaymentRefunded;
import io.hostrail.payment.model.PaymentRefund;
import io.hostrail.payment.port.out.Payments;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Money in and back out. A payment of an invoice is taken off what is due (the invoice is paid when nothing is left),
 * and what exceeds it goes to the customer's credit; either way the whole amount enters the ledger as cash, in the same
 * transaction, under the customer's lock, with its {@code payment.received} event and an audit record. Refunds are
 * paid out of the customer's credit; one of a paid invoice credits the invoice first, so revenue and tax are reversed.
 */
public final class PaymentService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("payment.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("payment.invalid");
    public static final ErrorCode CREDIT_SHORT = ErrorCode.conflict("payment.credit_short");
    public static final ErrorCode THROUGH_PROVIDER = ErrorCode.conflict("payment.refund_through_provider");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");

    /** A payment staff record by hand: the amount in the invoice's currency, in major units. */
    public record ManualDraft(String amount, String method, String reference, Instant receivedAt, String note) {
    }

    public record RefundDraft(String amount, String reason) {
    }

    public record Filter(UUID customerId, UUID invoiceId, UUID afterId, int limit) {
    }

    /** A provider's payment of an invoice, as its webhook or a reconciliation reports it. */
    public record ProviderReceipt(UUID invoiceId, Payment.Provider provider, Payment.Method method, String reference,
            Money amount, Instant receivedAt) {
    }

    /** A refund made and the payment after it. */
    public record Refunded(Payment payment, PaymentRefund refund) {
    }

    /**
     * A refund a provider made: our id for it (the one sent with it, when Hostrail asked for it; null for one made in
     * the provider's dashboard), its id there, what it gave back, and why.
     */
    public record ProviderRefund(UUID id, String reference, Money amount, String reason) {
    }

    /** A provider's refund as recorded: now, or before ({@code duplicate}), under its reference. */
    public record RefundRecorded(Payment payment, PaymentRefund refund, boolean duplicate) {
    }

    /** A refund through the provider, checked and about to be sent: what is given back on which payment. */
    public record RefundPlan(Payment payment, Money amount, String reason) {
    }

    private final Payments payments;
    private final InvoiceService invoices;
    private final CreditNoteService creditNotes;
    private final CustomerService customers;
    private final LedgerService balances;
    private final Ledger ledger;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public PaymentService(Payments payments, InvoiceService invoices, CreditNoteService creditNotes,
            CustomerService customers, LedgerService balances, Ledger ledger, UnitOfWork unitOfWork, DomainEvents events,
            AuditTrail audit, IdGenerator ids, Clock clock) {
        this.payments = payments;
        this.invoices = invoices;
        this.creditNotes = creditNotes;
        this.customers = customers;
        this.balances = balances;
        this.ledger = ledger;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Records money received for an open (or written-off) invoice by bank transfer, cash or cheque: up to what is due
     * pays the invoice, the rest becomes the customer's credit.
     */
    public Mono<Payment> recordManual(Principal actor, UUID invoiceId, ManualDraft draft) {
        Instant now = clock.instant();
        FieldErrors errors = new FieldErrors();
        Payment.Method method = draft.method() == null ? null : errors.check("method",
                () -> requireManual(Payment.Method.fromWire(draft.method())));
        if (draft.method() == null) {
            errors.add("method", "is required: bank_transfer, cash, cheque or other");
        }
        if (draft.amount() == null) {
            errors.add("amount", "is required");
        }
        Instant receivedAt = draft.receivedAt() == null ? now : draft.receivedAt();
        if (receivedAt.isAfter(now)) {
            errors.add("receivedAt", "must not be in the future");
        }
        try {
            errors.throwIfAny(INVALID, "The payment has invalid fields.");
        } catch (DomainException e) {
            return Mono.error(e);
        }
        TenantId tenant = actor.tenant();
        Actor who = Actors.of(actor);
        return unitOfWork.inTransaction(() -> staffInvoice(actor, invoiceId)
                .flatMap(seen -> customers.lockedForBilling(tenant, seen.customerId()))
                // Read again under the customer's lock: whatever paid or credited it before us is in now.
                .flatMap(customer -> invoices.findInTransaction(tenant, invoiceId).flatMap(invoice -> {
                    Money amount;
                    Payment payment;
                    try {
                        amount = amount(draft.amount(), invoice.currency().getCurrencyCode());
                        if (invoice.status() != InvoiceStatus.OPEN && invoice.status() != InvoiceStatus.UNCOLLECTIBLE) {
                            throw new DomainException(InvoiceService.STATE, "Invoice " + name(invoice) + " is "
                                    + invoice.status().wireName() + "; record a payment on an open invoice, or give "
                                    + "the customer credit.");
                        }
                        payment = Payment.received(ids.newId(), tenant, customer.id(), invoice.id(),
                                Payment.Provider.MANUAL, method, draft.reference(), amount,
                                min(amount, invoice.amountDue()), draft.note(), receivedAt, now);
                    } catch (IllegalArgumentException e) {
                        FieldErrors invalid = new FieldErrors();
                        invalid.addRuleViolation(e, "payment");
                        return Mono.error(invalid.toException(INVALID, "The payment has invalid fields."));
                    } catch (DomainException e) {
                        return Mono.error(e);
                    }
                    return received(who, invoice, payment);
                })));
    }

    /**
     * Records a provider's payment, inside the caller's unit of work, once: a receipt whose reference was recorded
     * already changes nothing and answers the payment recorded then. The invoice gets what it still has due (nothing
     * if it was paid or voided meanwhile); the rest of the money goes to the customer's credit, never lost.
     */
    public Mono<Payment> receiveInTransaction(TenantId tenant, Actor who, ProviderReceipt receipt) {
        return invoices.findInTransaction(tenant, receipt.invoiceId())
                .switchIfEmpty(Mono.error(() -> invoiceNotFound(receipt.invoiceId())))
                .flatMap(seen -> customers.lockedForBilling(tenant, seen.customerId()))
                .flatMap(customer -> payments.findByReference(tenant, receipt.provider(), receipt.reference())
                        .map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(earlier -> earlier.isPresent() ? Mono.just(earlier.get())
                                : invoices.findInTransaction(tenant, receipt.invoiceId()).flatMap(invoice -> {
                                    boolean payable = invoice.status() == InvoiceStatus.OPEN
                                            || invoice.status() == InvoiceStatus.UNCOLLECTIBLE;
                                    Money amount = receipt.amount();
                                    Money applied = payable && amount.currency().equals(invoice.currency())
                                            ? min(amount, invoice.amountDue()) : Money.zero(amount.currency());
                                    return received(who, invoice, Payment.received(ids.newId(), tenant,
                                            customer.id(), invoice.id(), receipt.provider(), receipt.method(),
                                            receipt.reference(), amount, applied, null, receipt.receivedAt(),
                                            clock.instant()));
                                })));
    }

    /** The provider's payment with this reference, if it was recorded; inside the caller's unit of work. */
    public Mono<Payment> findByReferenceInTransaction(TenantId tenant, Payment.Provider provider, String reference) {
        return payments.findByReference(tenant, provider, reference);
    }

    /**
     * Flags the provider's payment as disputed by the customer's bank, under its customer's lock, with
     * {@code payment.disputed} and an audit record; inside the caller's unit of work. Empty when no such payment is
     * recorded; a payment disputed already is answered as it is.
     */
    public Mono<Payment> disputeInTransaction(TenantId tenant, Actor who, Payment.Provider provider, String reference,
            Money amount, String reason) {
        return payments.findByReference(tenant, provider, reference)
                .flatMap(seen -> customers.lockedForBilling(tenant, seen.customerId())
                        .then(payments.findByReference(tenant, provider, reference)))
                .flatMap(payment -> payment.disputed() ? Mono.just(payment)
                        : payments.update(payment.markDisputed(), payment.version())
                                .switchIfEmpty(Mono.error(() -> new IllegalStateException("payment " + payment.id()
                                        + " changed under its customer's lock")))
                                .flatMap(saved -> events.record(tenant, new PaymentDisputed(saved.id(),
                                                saved.customerId(), saved.invoiceId(), provider.wireName(), reference,
                                                amount.currency().getCurrencyCode(), amount.minorUnits(), reason))
                                        .then(audit.record(tenant, who, "payment.disputed", "payment",
                                                saved.id().toString(), Map.of(), Map.of("amount", amount.toString(),
                                                        "reason", String.valueOf(reason))))
                                        .thenReturn(saved)));
    }

    private Mono<Payment> received(Actor who, Invoice invoice, Payment payment) {
        boolean writtenOff = invoice.status() == InvoiceStatus.UNCOLLECTIBLE;
        Mono<Invoice> settled = payment.applied().isPositive()
                ? invoices.paymentReceivedInTransaction(invoice, payment.applied()) : Mono.just(invoice);
        return settled.then(payments.insert(payment))
                .flatMap(saved -> ledger.record(saved.receivedMovement(ids.newId(), writtenOff))
                        .then(events.record(saved.tenant(), PaymentReceived.of(saved)))
                        .then(audit.record(saved.tenant(), who, "payment.received", "payment", saved.id().toString(),
                                Map.of(), summary(saved, invoice)))
                        .thenReturn(saved));
    }

    /**
     * Gives money back on a payment staff recorded by hand (the money itself goes back the way it came, outside
     * Hostrail): a paid invoice is credited by a credit note first, as far as it can still be, and the refund is then
     * paid out of the customer's credit, which must cover it.
     */
    public Mono<Refunded> refund(Principal actor, UUID paymentId, RefundDraft draft) {
        TenantId tenant = actor.tenant();
        Actor who = Actors.of(actor);
        return unitOfWork.inTransaction(() -> staffPayment(actor, paymentId)
                .flatMap(seen -> customers.lockedForBilling(tenant, seen.customerId())
                        .flatMap(customer -> payments.find(tenant, paymentId).flatMap(payment -> {
                            if (payment.provider() != Payment.Provider.MANUAL) {
                                return Mono.error(new DomainException(THROUGH_PROVIDER, "Payment " + payment.id()
                                        + " came through " + payment.provider().wireName()
                                        + "; it is refunded through " + payment.provider().wireName() + "."));
                            }
                            Money amount;
                            try {
                                amount = amount(draft.amount(), payment.amount().currency().getCurrencyCode());
                                // Refused before a credit note is issued for it.
                                payment.refund(amount);
                                PaymentRefund.reason(draft.reason());
                            } catch (IllegalArgumentException e) {
                                FieldErrors invalid = new FieldErrors();
                                invalid.addRuleViolation(e, "refund");
                                return Mono.error(invalid.toException(INVALID, "The refund has invalid fields."));
                            }
                            return refundInTransaction(who, customer, payment, ids.newId(), amount, draft.reason(),
                                    null, false);
                        }))));
    }

    /**
     * Checks a refund through the payment's provider before it is sent, as a refund by hand is checked: at most what
     * is left of the payment, a reason, and the customer's credit (after crediting a paid invoice) covering it. Reads
     * only, in a transaction of its own, so the provider is called outside any.
     */
    public Mono<RefundPlan> planProviderRefund(Principal actor, UUID paymentId, RefundDraft draft) {
        TenantId tenant = actor.tenant();
        return unitOfWork.inTransaction(() -> staffPayment(actor, paymentId)
                .flatMap(seen -> customers.lockedForBilling(tenant, seen.customerId())
                        .flatMap(customer -> payments.find(tenant, paymentId).flatMap(payment -> {
                            if (payment.provider() == Payment.Provider.MANUAL) {
                                return Mono.error(new IllegalArgumentException("payment " + payment.id()
                                        + " was recorded by hand; it has no provider to refund through"));
                            }
                            Money amount;
                            String reason;
                            try {
                                amount = amount(draft.amount(), payment.amount().currency().getCurrencyCode());
                                payment.refund(amount);
                                reason = PaymentRefund.reason(draft.reason());
                            } catch (IllegalArgumentException e) {
                                FieldErrors invalid = new FieldErrors();
                                invalid.addRuleViolation(e, "refund");
                                return Mono.error(invalid.toException(INVALID, "The refund has invalid fields."));
                            }
                            Mono<Money> creditable = payment.invoiceId() == null ? Mono.just(Money.zero(amount.currency()))
                                    : invoices.findInTransaction(tenant, payment.invoiceId())
                                            .filter(invoice -> invoice.status() == InvoiceStatus.PAID)
                                            .flatMap(invoice -> creditNotes.creditableInTransaction(tenant, invoice))
                                            .filter(credit -> credit.currency().equals(amount.currency()))
                                            .map(credit -> min(amount, credit))
                                            .defaultIfEmpty(Money.zero(amount.currency()));
                            return creditable.zipWith(balances.balanceOf(customer)).flatMap(found -> {
                                Money credit = found.getT2().credit();
                                if (!credit.currency().equals(amount.currency())
                                        || credit.plus(found.getT1()).compareTo(amount) < 0) {
                                    return Mono.error(new DomainException(CREDIT_SHORT, "The customer's credit, "
                                            + credit + ", does not cover a refund of " + amount
                                            + (found.getT1().isPositive() ? " even after crediting the invoice" : "")
                                            + "; it was spent on other invoices."));
                                }
                                return Mono.just(new RefundPlan(payment, amount, reason));
                            });
                        }))));
    }

    /** Records a refund the provider made on the actor's request, once; see {@link #recordProviderRefundInTransaction}. */
    public Mono<RefundRecorded> recordProviderRefund(Principal actor, Payment payment, ProviderRefund refund) {
        return unitOfWork.inTransaction(() -> recordProviderRefundInTransaction(actor.tenant(), Actors.of(actor),
                payment.provider(), payment.reference(), refund));
    }

    /**
     * Records a refund the provider made, inside the caller's unit of work, once per (provider, refund id): through
     * the API, by webhook, or made in the provider's dashboard. A refund recorded already changes nothing and answers
     * as recorded then. The money has left: it is never refused for want of credit; the customer's credit goes below
     * zero instead, and the customer owes the difference (ADR 0011). Empty when the payment is not recorded here.
     */
    public Mono<RefundRecorded> recordProviderRefundInTransaction(TenantId tenant, Actor who,
            Payment.Provider provider, String paymentReference, ProviderRefund refund) {
        return payments.findByReference(tenant, provider, paymentReference)
                .flatMap(seen -> customers.lockedForBilling(tenant, seen.customerId()).flatMap(customer -> payments
                        .findRefundByReference(tenant, provider, refund.reference())
                        .flatMap(earlier -> payments.find(tenant, earlier.paymentId())
                                .map(payment -> new RefundRecorded(payment, earlier, true)))
                        .switchIfEmpty(Mono.defer(() -> payments.findByReference(tenant, provider, paymentReference)
                                .flatMap(payment -> {
                                    if (!refund.amount().currency().equals(payment.amount().currency())
                                            || refund.amount().compareTo(payment.refundable()) > 0
                                            || !refund.amount().isPositive()) {
                                        return Mono.error(new DomainException(INVALID, "A refund of "
                                                + refund.amount() + " does not fit payment " + payment.id() + ", of "
                                                + payment.amount() + " with " + payment.refundable() + " left."));
                                    }
                                    return refundInTransaction(who, customer, payment,
                                            refund.id() == null ? ids.newId() : refund.id(), refund.amount(),
                                            refund.reason(), refund.reference(), true)
                                            .map(done -> new RefundRecorded(done.payment(), done.refund(), false));
                                })))));
    }

    /**
     * The refund of {@code amount}, inside the caller's unit of work, with the payment read under its customer's lock.
     * {@code reference} is the provider's refund id, or null. A refund the provider made already
     * ({@code leaveOwing}) is recorded even when the customer's credit does not cover it: the credit goes below zero.
     */
    Mono<Refunded> refundInTransaction(Actor who, Customer customer, Payment payment, UUID refundId, Money amount,
            String reason, String reference, boolean leaveOwing) {
        TenantId tenant = payment.tenant();
        Mono<Optional<CreditNote>> note = payment.invoiceId() == null ? Mono.just(Optional.empty())
                : invoices.findInTransaction(tenant, payment.invoiceId())
                        .filter(invoice -> invoice.status() == InvoiceStatus.PAID)
                        .flatMap(invoice -> creditNotes.creditableInTransaction(tenant, invoice)
                                .filter(Money::isPositive)
                                .flatMap(creditable -> creditNotes.issueInTransaction(tenant, who, invoice,
                                        "Refund of payment " + payment.id() + ": " + reason.strip(),
                                        List.of(new CreditNoteLine.Draft("Refund of payment "
                                                + (payment.reference() == null ? payment.id() : payment.reference()),
                                                min(amount, creditable), null)))))
                        .map(Optional::of).defaultIfEmpty(Optional.empty());
        return note.flatMap(credited -> balances.balanceOf(customer).flatMap(balance -> {
            boolean covered = balance.credit().currency().equals(amount.currency())
                    && balance.credit().compareTo(amount) >= 0;
            if (!covered && !leaveOwing) {
                return Mono.error(new DomainException(CREDIT_SHORT, "The customer's credit, "
                        + balance.credit() + ", does not cover a refund of " + amount + (credited.isPresent()
                        ? " even after crediting the invoice" : "") + "; it was spent on other invoices."));
            }
            Instant now = clock.instant();
            PaymentRefund refund = new PaymentRefund(refundId, tenant, payment.id(), customer.id(), amount, reason,
                    credited.map(CreditNote::id).orElse(null), reference, now);
            Payment after = payment.refund(amount);
            return payments.update(after, payment.version())
                    .switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                            "The payment was changed by someone else meanwhile; reload it and try again.")))
                    .flatMap(saved -> payments.insertRefund(refund)
                            .then(ledger.record(saved.refundMovement(ids.newId(), amount, now)))
                            .then(events.record(tenant, PaymentRefunded.of(saved, refund)))
                            .then(audit.record(tenant, who, "payment.refunded", "payment", saved.id().toString(),
                                    Map.of("refunded", payment.refunded().toString()),
                                    refundSummary(saved, refund, covered ? null
                                            : balance.credit().currency().equals(amount.currency())
                                                    ? amount.minus(balance.credit().isPositive() ? balance.credit()
                                                            : Money.zero(amount.currency()))
                                                    : amount)))
                            .thenReturn(new Refunded(saved, refund)));
        }));
    }

    public Mono<Payment> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> visible(actor, id));
    }

    public Flux<Payment> list(Principal actor, Filter filter) {
        boolean client = actor.kind() == UserKind.CLIENT;
        if (client && filter.customerId() != null && !filter.customerId().equals(actor.customerId())) {
            return Flux.empty();
        }
        UUID customer = client ? actor.customerId() : filter.customerId();
        return unitOfWork.inTransactionMany(() -> payments.list(actor.tenant(),
                new Payments.Query(customer, filter.invoiceId(), filter.afterId(), filter.limit())));
    }

    public Flux<PaymentRefund> refunds(Principal actor, UUID paymentId) {
        return unitOfWork.inTransactionMany(() -> visible(actor, paymentId)
                .flatMapMany(payment -> payments.refunds(actor.tenant(), paymentId)));
    }

    private Mono<Payment> visible(Principal actor, UUID id) {
        return payments.find(actor.tenant(), id)
                .filter(p -> actor.kind() != UserKind.CLIENT || p.customerId().equals(actor.customerId()))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Changing payments needs payment:write or payment:refund, which client users never have. */
    private Mono<Payment> staffPayment(Principal actor, UUID id) {
        return actor.kind() == UserKind.CLIENT ? Mono.error(notFound(id)) : visible(actor, id);
    }

    private Mono<Invoice> staffInvoice(Principal actor, UUID id) {
        if (actor.kind() == UserKind.CLIENT) {
            return Mono.error(invoiceNotFound(id));
        }
        return invoices.findInTransaction(actor.tenant(), id).switchIfEmpty(Mono.error(() -> invoiceNotFound(id)));
    }

    private static Payment.Method requireManual(Payment.Method method) {
        if (!method.isManual()) {
            throw new IllegalArgumentException("'" + method.wireName() + "' payments come through their provider;"
                    + " use bank_transfer, cash, cheque or other");
        }
        return method;
    }

    private static Money amount(String text, String currency) {
        Money amount;
        try {
            amount = Money.parse(text, currency);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("amount: '" + text + "' is not an amount in " + currency);
        }
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount: must be above zero");
        }
        return amount;
    }

    private static Money min(Money a, Money b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String name(Invoice invoice) {
        return invoice.number() == null ? invoice.id().toString() : invoice.number();
    }

    private static Map<String, String> summary(Payment payment, Invoice invoice) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("invoice", name(invoice));
        summary.put("amount", payment.amount().toString());
        summary.put("applied", payment.applied().toString());
        summary.put("provider", payment.provider().wireName());
        summary.put("method", payment.method().wireName());
        if (payment.reference() != null) {
            summary.put("reference", payment.reference());
        }
        return summary;
    }

    private static Map<String, String> refundSummary(Payment payment, PaymentRefund refund, Money leftOwing) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("refund", refund.id().toString());
        summary.put("amount", refund.amount().toString());
        summary.put("refunded", payment.refunded().toString());
        summary.put("reason", refund.reason());
        if (refund.creditNoteId() != null) {
            summary.put("creditNote", refund.creditNoteId().toString());
        }
        if (refund.reference() != null) {
            summary.put("reference", refund.reference());
        }
        if (leftOwing != null) {
            summary.put("leftOwing", leftOwing.toString());
        }
        return summary;
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No payment " + id + " exists.");
    }

    private static DomainException invoiceNotFound(UUID id) {
        return new DomainException(InvoiceService.NOT_FOUND, "No invoice " + id + " exists.");
    }
}
