package io.hostrail.payment.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceStatus;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.payment.model.ChargeRequest;
import io.hostrail.payment.model.ChargeableMethod;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentAttempt;
import io.hostrail.payment.model.PaymentEvents.PaymentFailed;
import io.hostrail.payment.model.PaymentOutcome;
import io.hostrail.payment.port.out.DefaultPaymentMethods;
import io.hostrail.payment.port.out.PaymentAttempts;
import io.hostrail.payment.service.PaymentProviderService.Connection;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Taking an invoice's money through Stripe or PayPal. Every try is an attempt, committed before the provider is called
 * and settled in a transaction of its own once the provider has answered, so no database transaction is held open
 * across a call to a provider, and no call is made that leaves no trace: an answer lost on the way (a timeout, an open
 * breaker, the process stopped between the charge and its record) leaves an open attempt, which the attempt janitor
 * ({@link #checkDue}) settles by asking the provider. The attempt's id keys every request to the provider, so asking
 * again never charges twice, and a payment is recorded once per provider reference, whichever of the answer, the
 * janitor and the provider's webhook comes first.
 */
public final class PaymentAttemptService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("payment_attempt.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("payment_attempt.invalid");
    public static final ErrorCode NOT_PAYABLE = ErrorCode.conflict("payment_attempt.invoice_not_payable");
    public static final ErrorCode SETTLED = ErrorCode.conflict("payment_attempt.settled");
    public static final ErrorCode IN_PROGRESS = ErrorCode.conflict("payment_attempt.in_progress");
    public static final ErrorCode NO_SAVED_METHOD = ErrorCode.conflict("payment_attempt.no_saved_method");

    /** How long a claimed attempt is left to the instance that claimed it before another may take it. */
    static final Duration CHECK_LEASE = Duration.ofMinutes(2);

    /** A payer's checkout of an invoice: which provider, and for PayPal where the payer comes back to. */
    public record CheckoutDraft(String provider, String returnUrl, String cancelUrl) {
    }

    /**
     * An attempt with what the payer's browser needs to finish it, which is never stored: Stripe's client secret (with
     * the publishable key Stripe.js is loaded with) or PayPal's approval URL.
     */
    public record Checkout(PaymentAttempt attempt, String clientSecret, String approvalUrl, String publicKey) {

        @Override
        public String toString() {
            return "Checkout[attempt=" + attempt + ", clientSecret=****, approvalUrl=" + approvalUrl + "]";
        }
    }

    public record Filter(UUID invoiceId, UUID customerId, String status, UUID afterId, int limit) {
    }


    private final PaymentAttempts attempts;
    private final PaymentProviderService providers;
    private final DefaultPaymentMethods defaultMethods;
    private final PaymentService payments;
    private final InvoiceService invoices;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public PaymentAttemptService(PaymentAttempts attempts, PaymentProviderService providers,
            DefaultPaymentMethods defaultMethods, PaymentService payments, InvoiceService invoices,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids,
            Clock clock) {
        this.attempts = attempts;
        this.providers = providers;
        this.defaultMethods = defaultMethods;
        this.payments = payments;
        this.invoices = invoices;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Starts the payer's payment of what the invoice has due, or hands back the one they started and have not finished
     * through the same provider for the same amount, so reloading the checkout page never makes a second PaymentIntent
     * or order.
     */
    public Mono<Checkout> checkout(Principal actor, UUID invoiceId, CheckoutDraft draft) {
        FieldErrors errors = new FieldErrors();
        Payment.Provider provider = draft.provider() == null ? null : errors.check("provider", () -> online(draft
                .provider()));
        if (draft.provider() == null) {
            errors.add("provider", "is required: stripe or paypal");
        }
        ChargeRequest.PayerReturn payerReturn = null;
        if (provider == Payment.Provider.PAYPAL) {
            URI approved = url(errors, "returnUrl", draft.returnUrl());
            URI cancelled = url(errors, "cancelUrl", draft.cancelUrl());
            payerReturn = approved == null || cancelled == null ? null
                    : new ChargeRequest.PayerReturn(approved, cancelled);
        }
        if (!errors.isEmpty()) {
            return Mono.error(errors.toException(INVALID, "The checkout has invalid fields."));
        }
        TenantId tenant = actor.tenant();
        ChargeRequest.PayerReturn returns = payerReturn;
        return invoices.get(actor, invoiceId)
                .flatMap(invoice -> requirePayable(invoice).then(providers.connection(tenant, provider))
                        .flatMap(connection -> TenantContext.within(tenant, unitOfWork.inTransaction(() -> attempts
                                        .openCheckout(tenant, invoiceId, provider)
                                        .filter(open -> open.amount().equals(invoice.amountDue())
                                                && open.reference() != null)))
                                .flatMap(open -> resume(connection, open))
                                // Read again: the attempt resumed may have paid it meanwhile.
                                .switchIfEmpty(Mono.defer(() -> invoices.get(actor, invoiceId).flatMap(current ->
                                        requirePayable(current).then(start(actor, connection, current, returns)))))));
    }

    /** The open attempt's state at the provider, with what the payer needs to go on; a new attempt if it ended. */
    private Mono<Checkout> resume(Connection connection, PaymentAttempt open) {
        return connection.gateway().lookup(connection.account(), open.id(), open.reference())
                .flatMap(outcome -> outcome instanceof PaymentOutcome.Pending pending
                        ? Mono.just(new Checkout(open, pending.clientSecret(), pending.approvalUrl(),
                                connection.publicKey()))
                        : settle(open.tenant(), Actor.system("payment-attempts"), open.id(), outcome, connection)
                                .then(Mono.empty()));
    }

    private Mono<Checkout> start(Principal actor, Connection connection, Invoice invoice,
            ChargeRequest.PayerReturn payerReturn) {
        TenantId tenant = actor.tenant();
        Instant now = clock.instant();
        PaymentAttempt attempt = PaymentAttempt.start(ids.newId(), tenant, invoice.id(), invoice.customerId(),
                connection.provider(), PaymentAttempt.Purpose.CHECKOUT, invoice.amountDue(), null, now);
        ChargeRequest request = new ChargeRequest(attempt.id(), attempt.amount(), null, null, false,
                "Invoice " + (invoice.number() == null ? invoice.id() : invoice.number()), metadata(attempt),
                payerReturn);
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> attempts.insert(attempt)
                        .flatMap(saved -> audit.record(tenant, Actors.of(actor), "payment_attempt.started",
                                "payment_attempt", saved.id().toString(), Map.of(), summary(saved)).thenReturn(saved))))
                .flatMap(saved -> call(connection, request)
                        .flatMap(outcome -> settle(tenant, Actors.of(actor), saved.id(), outcome, connection)
                                .map(settled -> outcome instanceof PaymentOutcome.Pending pending
                                        ? new Checkout(settled, pending.clientSecret(), pending.approvalUrl(),
                                                connection.publicKey())
                                        : new Checkout(settled, null, null, connection.publicKey()))));
    }

    /**
     * Charges the saved method, with the payer away, for what the invoice has due now: a dunning retry, or staff
     * charging a renewal. The attempt is {@code attemptId}, so asking twice (an event delivered again) makes one
     * attempt and one charge; a second attempt while one is still open for the invoice is refused, so a retry and a
     * staff charge at the same time cannot both take the money. Empty when the invoice has nothing due by then.
     */
    public Mono<PaymentAttempt> chargeSaved(TenantId tenant, Actor who, UUID invoiceId, UUID attemptId,
            ChargeableMethod method) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> attempts.find(tenant, attemptId)
                        .map(earlier -> new Begun(earlier, false))
                        .switchIfEmpty(Mono.defer(() -> invoices.findInTransaction(tenant, invoiceId)
                                .filter(invoice -> payable(invoice) == null)
                                .flatMap(invoice -> attempts.openOffSession(tenant, invoiceId)
                                        .flatMap(open -> Mono.<Begun>error(new DomainException(IN_PROGRESS,
                                                "Attempt " + open.id() + " is still charging invoice " + invoiceId
                                                        + "; it settles first.")))
                                        .switchIfEmpty(Mono.defer(() -> {
                                            PaymentAttempt attempt = PaymentAttempt.start(attemptId, tenant,
                                                    invoiceId, invoice.customerId(), method.provider(),
                                                    PaymentAttempt.Purpose.OFF_SESSION, invoice.amountDue(),
                                                    method.paymentMethodReference(), clock.instant());
                                            return attempts.insert(attempt)
                                                    .flatMap(saved -> audit.record(tenant, who,
                                                            "payment_attempt.started", "payment_attempt",
                                                            saved.id().toString(), Map.of(), summary(saved))
                                                            .thenReturn(new Begun(saved, true)));
                                        })))))))
                .flatMap(begun -> !begun.fresh() ? Mono.just(begun.attempt())
                        : providers.connection(tenant, method.provider()).flatMap(connection -> call(connection,
                                        new ChargeRequest(attemptId, begun.attempt().amount(),
                                                method.customerReference(), method.paymentMethodReference(), true,
                                                "Invoice " + invoiceId, metadata(begun.attempt()), null))
                                .flatMap(outcome -> settle(tenant, who, attemptId, outcome, connection))));
    }

    /** Staff charge the customer's default saved method for what the invoice has due. */
    public Mono<PaymentAttempt> chargeDefault(Principal actor, UUID invoiceId) {
        if (actor.kind() == UserKind.CLIENT) {
            return Mono.error(new DomainException(InvoiceService.NOT_FOUND, "No invoice " + invoiceId + " exists."));
        }
        TenantId tenant = actor.tenant();
        return invoices.get(actor, invoiceId)
                .flatMap(invoice -> requirePayable(invoice).then(defaultMethods.defaultMethod(tenant,
                        invoice.customerId())))
                .switchIfEmpty(Mono.error(() -> new DomainException(NO_SAVED_METHOD, "The invoice's customer has no "
                        + "saved payment method to charge.")))
                .flatMap(method -> chargeSaved(tenant, Actors.of(actor), invoiceId, ids.newId(), method));
    }

    /**
     * A dunning retry fell due: the customer's default saved method is charged by the attempt the event names, once
     * however often the event arrives. A customer without a saved method, an invoice paid meanwhile, or a charge
     * already under way leaves nothing to do.
     */
    public Mono<PaymentAttempt> onPaymentRetryDue(EventEnvelope event) {
        TenantId tenant = new TenantId(event.tenantId());
        UUID attemptId = UUID.fromString(String.valueOf(event.data().get("attemptId")));
        UUID customerId = UUID.fromString(String.valueOf(event.data().get("customerId")));
        return defaultMethods.defaultMethod(tenant, customerId)
                .flatMap(method -> chargeSaved(tenant, Actor.system("dunning"), event.aggregateId(), attemptId,
                        method))
                .onErrorResume(DomainException.class, e -> e.code().equals(IN_PROGRESS)
                        || e.code().equals(NOT_PAYABLE) || e.code().equals(PaymentProviderService.NOT_CONNECTED)
                        ? Mono.empty() : Mono.error(e));
    }

    /** An attempt and whether this call made it (and so is the one to call the provider). */
    private record Begun(PaymentAttempt attempt, boolean fresh) {
    }

    /**
     * Finishes an attempt the payer has approved (PayPal: captures the order) or confirmed (Stripe: reads the
     * PaymentIntent), and settles it. One settled already is answered as it is.
     */
    public Mono<PaymentAttempt> complete(Principal actor, UUID attemptId) {
        TenantId tenant = actor.tenant();
        return visible(actor, attemptId).flatMap(attempt -> {
            if (!attempt.status().isOpen()) {
                return Mono.just(attempt);
            }
            if (attempt.reference() == null) {
                return Mono.error(new DomainException(SETTLED, "Attempt " + attemptId + " has no payment at "
                        + attempt.provider().wireName() + " yet; its start is being checked."));
            }
            return providers.connection(tenant, attempt.provider()).flatMap(connection -> connection.gateway()
                    .complete(connection.account(), attempt.id(), attempt.reference())
                    .flatMap(outcome -> settle(tenant, Actors.of(actor), attempt.id(), outcome, connection)));
        });
    }

    /** Staff ask the provider now where an attempt stands; one left unresolved is taken up again. */
    public Mono<PaymentAttempt> check(Principal actor, UUID attemptId) {
        if (actor.kind() == UserKind.CLIENT) {
            return Mono.error(notFound(attemptId));
        }
        TenantId tenant = actor.tenant();
        return unitOfWork.inTransaction(() -> attempts.lock(tenant, attemptId)
                        .switchIfEmpty(Mono.error(() -> notFound(attemptId)))
                        .flatMap(attempt -> {
                            if (attempt.status() == PaymentAttempt.Status.UNRESOLVED) {
                                return attempts.update(attempt.reopened(clock.instant()), attempt.version())
                                        .flatMap(reopened -> audit.record(tenant, Actors.of(actor),
                                                "payment_attempt.reopened", "payment_attempt",
                                                attemptId.toString(), Map.of(), Map.of()).thenReturn(reopened));
                            }
                            return Mono.just(attempt);
                        }))
                .flatMap(attempt -> attempt.status().isOpen() ? reconcile(attempt) : Mono.just(attempt));
    }

    /**
     * The attempt janitor's round for one tenant: claims the open attempts due a check (each instance its own, for
     * {@link #CHECK_LEASE}) and settles each by what the provider says now. Answers how many were checked.
     */
    public Mono<Long> checkDue(TenantId tenant, int batchSize) {
        return TenantContext.within(tenant, unitOfWork.inTransactionMany(() -> attempts.claimDue(tenant,
                                clock.instant(), CHECK_LEASE, batchSize))
                        .collectList())
                .flatMapMany(Flux::fromIterable)
                .concatMap(attempt -> reconcile(attempt).onErrorResume(DomainException.class, e -> Mono.empty()))
                .count();
    }

    /** Asks the provider where the attempt stands and settles it by the answer. */
    private Mono<PaymentAttempt> reconcile(PaymentAttempt attempt) {
        Actor janitor = Actor.system("payment-attempts");
        TenantId tenant = attempt.tenant();
        return providers.connection(tenant, attempt.provider()).flatMap(connection -> {
            if (attempt.reference() == null && attempt.provider() == Payment.Provider.PAYPAL) {
                // An order whose id never reached us never reached the payer either, who alone could approve it:
                // nothing can have been taken.
                return settleNotCreated(tenant, janitor, attempt.id());
            }
            return connection.gateway().lookup(connection.account(), attempt.id(), attempt.reference())
                    .flatMap(outcome -> settle(tenant, janitor, attempt.id(), outcome, connection))
                    .switchIfEmpty(Mono.defer(() -> attempt.createdAt().plus(PaymentAttempt.firstCheckAfter())
                            .isAfter(clock.instant())
                            ? settle(tenant, janitor, attempt.id(), new PaymentOutcome.Unknown(null,
                                    "NOT_YET_FOUND"), connection)
                            : settleNotCreated(tenant, janitor, attempt.id())));
        });
    }

    private Mono<PaymentAttempt> settleNotCreated(TenantId tenant, Actor who, UUID attemptId) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> attempts.lock(tenant, attemptId)
                .flatMap(attempt -> !attempt.status().isOpen() ? Mono.just(attempt)
                        : save(attempt, attempt.notCreated(clock.instant()))
                                .flatMap(saved -> declined(who, saved)))));
    }

    /**
     * Applies the provider's answer under the attempt's lock, in one transaction: a success records the payment (once
     * per provider reference: the webhook may have recorded it already), a decline emits {@code payment.failed}. An
     * attempt settled meanwhile (by the janitor, a webhook-driven check, another request) is left as it is.
     */
    private Mono<PaymentAttempt> settle(TenantId tenant, Actor who, UUID attemptId, PaymentOutcome outcome,
            Connection connection) {
        Instant now = clock.instant();
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> attempts.lock(tenant, attemptId)
                .flatMap(attempt -> {
                    if (!attempt.status().isOpen()) {
                        return Mono.just(attempt);
                    }
                    PaymentAttempt next = attempt.after(outcome, now);
                    return switch (outcome) {
                        case PaymentOutcome.Succeeded succeeded -> payments.receiveInTransaction(tenant, who,
                                        new PaymentService.ProviderReceipt(attempt.invoiceId(), attempt.provider(),
                                                attempt.provider() == Payment.Provider.PAYPAL ? Payment.Method.PAYPAL
                                                        : Payment.Method.CARD,
                                                succeeded.reference(), succeeded.amount(), now))
                                .flatMap(payment -> save(attempt, next.withPayment(payment.id())));
                        case PaymentOutcome.Declined ignored -> save(attempt, next).flatMap(saved -> declined(who,
                                saved));
                        default -> save(attempt, next);
                    };
                })));
    }

    private Mono<PaymentAttempt> declined(Actor who, PaymentAttempt saved) {
        return events.record(saved.tenant(), new PaymentFailed(saved.invoiceId(), saved.provider().wireName(),
                        saved.reference(), saved.declineCode(), saved.declineMessage()))
                .then(audit.record(saved.tenant(), who, "payment_attempt.declined", "payment_attempt",
                        saved.id().toString(), Map.of(), Map.of("code", saved.declineCode())))
                .thenReturn(saved);
    }

    private Mono<PaymentAttempt> save(PaymentAttempt before, PaymentAttempt after) {
        return attempts.update(after, before.version()).switchIfEmpty(Mono.error(() -> new IllegalStateException(
                "payment attempt " + before.id() + " changed under its lock")));
    }

    /** The provider's answer; a gateway refusing the request outright (a currency it cannot take) is a decline. */
    private static Mono<PaymentOutcome> call(Connection connection, ChargeRequest request) {
        return connection.gateway().charge(connection.account(), request)
                .onErrorResume(IllegalArgumentException.class, refused -> Mono.just(
                        new PaymentOutcome.Declined(null, "request_refused", refused.getMessage())));
    }

    public Mono<PaymentAttempt> get(Principal actor, UUID id) {
        return visible(actor, id);
    }

    public Flux<PaymentAttempt> list(Principal actor, Filter filter) {
        FieldErrors errors = new FieldErrors();
        PaymentAttempt.Status status = filter.status() == null ? null
                : errors.check("status", () -> PaymentAttempt.Status.fromWire(filter.status()));
        if (!errors.isEmpty()) {
            return Flux.error(errors.toException(INVALID, "The filter has invalid values."));
        }
        boolean client = actor.kind() == UserKind.CLIENT;
        if (client && filter.customerId() != null && !filter.customerId().equals(actor.customerId())) {
            return Flux.empty();
        }
        UUID customer = client ? actor.customerId() : filter.customerId();
        return unitOfWork.inTransactionMany(() -> attempts.list(actor.tenant(), new PaymentAttempts.Query(
                filter.invoiceId(), customer, status, filter.afterId(), filter.limit())));
    }

    private Mono<PaymentAttempt> visible(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> attempts.find(actor.tenant(), id))
                .filter(a -> actor.kind() != UserKind.CLIENT || a.customerId().equals(actor.customerId()))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Why the invoice cannot be paid now, or null when it can. */
    private static DomainException payable(Invoice invoice) {
        boolean open = invoice.status() == InvoiceStatus.OPEN || invoice.status() == InvoiceStatus.UNCOLLECTIBLE;
        if (!open || !invoice.amountDue().isPositive()) {
            return new DomainException(NOT_PAYABLE, "Invoice " + (invoice.number() == null ? invoice.id()
                    : invoice.number()) + " is " + invoice.status().wireName() + " with " + invoice.amountDue()
                    + " due; only an open invoice with something due is paid.");
        }
        return null;
    }

    private static Mono<Void> requirePayable(Invoice invoice) {
        DomainException refusal = payable(invoice);
        return refusal == null ? Mono.empty() : Mono.error(refusal);
    }

    private static Payment.Provider online(String wire) {
        Payment.Provider provider;
        try {
            provider = Payment.Provider.fromWire(wire);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + wire + "' is not a provider; use stripe or paypal");
        }
        if (provider == Payment.Provider.MANUAL) {
            throw new IllegalArgumentException("manual payments are recorded by staff; use stripe or paypal");
        }
        return provider;
    }

    private static URI url(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required for PayPal: where the payer comes back to");
            return null;
        }
        try {
            URI uri = URI.create(value.strip());
            if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    || uri.getHost() == null || value.length() > 2000) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            errors.add(field, "must be an absolute http(s) URL");
            return null;
        }
    }

    private static Map<String, String> metadata(PaymentAttempt attempt) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("tenant_id", attempt.tenant().value().toString());
        metadata.put(ChargeRequest.INVOICE_ID, attempt.invoiceId().toString());
        return metadata;
    }

    private static Map<String, String> summary(PaymentAttempt attempt) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("invoice", attempt.invoiceId().toString());
        summary.put("provider", attempt.provider().wireName());
        summary.put("purpose", attempt.purpose().wireName());
        summary.put("amount", attempt.amount().toString());
        return summary;
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No payment attempt " + id + " exists.");
    }
}
