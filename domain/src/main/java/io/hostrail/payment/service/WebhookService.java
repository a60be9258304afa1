package io.hostrail.payment.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentEvents.PaymentFailed;
import io.hostrail.payment.model.PaymentEvents.WebhookReceived;
import io.hostrail.payment.model.ProviderEvent;
import io.hostrail.payment.model.StripeSignature;
import io.hostrail.payment.model.WebhookEvent;
import io.hostrail.payment.port.out.ProviderAccounts;
import io.hostrail.payment.port.out.ProviderEventReader;
import io.hostrail.payment.port.out.WebhookEvents;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Provider webhooks, from delivery to effect. A delivery is verified against the tenant's signing secrets over its raw
 * bytes, then stored raw under the provider's event id, with a {@code webhook.received} event, in one transaction;
 * the provider is answered as soon as that commits. A delivery whose event id is stored already is acknowledged and
 * changes nothing. Processing runs on whichever instance consumes {@code webhook.received}: it reads the stored body
 * and makes its effect, in one transaction with the record of how it went, so an event is processed to its effect
 * once however often it is delivered, redelivered or replayed, and in whatever order events arrive: the payment is
 * recorded once per provider reference, and a late {@code processing} after success changes nothing.
 */
public final class WebhookService {

    public static final ErrorCode ENDPOINT_NOT_FOUND = ErrorCode.notFound("webhook.endpoint_not_found");
    public static final ErrorCode SIGNATURE_INVALID = ErrorCode.validation("webhook.signature_invalid");
    public static final ErrorCode MALFORMED = ErrorCode.validation("webhook.malformed");
    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("webhook_event.not_found");
    public static final ErrorCode ALREADY_PROCESSED = ErrorCode.conflict("webhook_event.already_processed");
    public static final ErrorCode SECRETS_INVALID = ErrorCode.validation("payment_provider.invalid");
    public static final int MAX_SECRETS = 2;

    /**
     * What a delivery came to: the stored event, whether it had been delivered before, and whether its type is one
     * Hostrail acts on (the others are kept, listed and counted).
     */
    public record Receipt(UUID id, String eventId, String eventType, boolean duplicate, boolean actedOn) {
    }

    public record Filter(String provider, String status, String type, UUID afterId, int limit) {
    }

    private final WebhookEvents webhooks;
    private final ProviderAccounts accounts;
    private final ProviderEventReader reader;
    private final PaymentService payments;
    private final SecretBox secrets;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final Duration tolerance;

    public WebhookService(WebhookEvents webhooks, ProviderAccounts accounts, ProviderEventReader reader,
            PaymentService payments, SecretBox secrets, UnitOfWork unitOfWork,
            DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock, Duration tolerance) {
        this.webhooks = webhooks;
        this.accounts = accounts;
        this.reader = reader;
        this.payments = payments;
        this.secrets = secrets;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /**
     * A Stripe delivery to the tenant's endpoint: refused unless its {@code Stripe-Signature} verifies, stored and
     * queued for processing once, acknowledged again when repeated.
     */
    public Mono<Receipt> receiveStripe(TenantId tenant, byte[] body, String signature) {
        Payment.Provider provider = Payment.Provider.STRIPE;
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> accounts
                .sealedWebhookSecrets(tenant, provider)
                .filter(sealed -> !sealed.isEmpty())
                .switchIfEmpty(Mono.error(() -> new DomainException(ENDPOINT_NOT_FOUND,
                        "No Stripe webhook endpoint is set up here.")))
                .flatMap(sealed -> {
                    Instant now = clock.instant();
                    List<String> opened = sealed.stream().map(s -> secrets.open(s, context(tenant, provider))).toList();
                    StripeSignature.Verdict verdict = StripeSignature.verify(signature, body, opened, now, tolerance);
                    if (verdict != StripeSignature.Verdict.VALID) {
                        return Mono.error(new DomainException(SIGNATURE_INVALID, switch (verdict) {
                            case STALE -> "The Stripe-Signature timestamp is outside the tolerance of "
                                    + tolerance.toSeconds() + " s.";
                            case MISMATCH -> "No v1 signature of the Stripe-Signature header matches the body.";
                            default -> "The Stripe-Signature header is missing or malformed.";
                        }));
                    }
                    return storeInTransaction(tenant, provider, new String(body, StandardCharsets.UTF_8), now);
                })));
    }

    /**
     * Stores a verified event (a delivery, or one fetched from the provider's log) raw under its event id, with a
     * {@code webhook.received} event, in a transaction of its own; one stored already is answered as a duplicate.
     */
    public Mono<Receipt> store(TenantId tenant, Payment.Provider provider, String payload) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> storeInTransaction(tenant, provider,
                payload, clock.instant())));
    }

    private Mono<Receipt> storeInTransaction(TenantId tenant, Payment.Provider provider, String payload,
            Instant now) {
        ProviderEventReader.Identity identity;
        try {
            identity = reader.identify(provider, payload);
        } catch (IllegalArgumentException e) {
            return Mono.error(new DomainException(MALFORMED, "The body is not a " + name(provider) + " event: "
                    + e.getMessage()));
        }
        WebhookEvent stored = WebhookEvent.received(ids.newId(), tenant, provider, identity.eventId(),
                identity.type(), payload, now);
        return webhooks.insertIfAbsent(stored).flatMap(inserted -> inserted
                ? events.record(tenant, new WebhookReceived(stored.id(), provider.wireName(),
                        stored.eventId(), stored.eventType()))
                        .thenReturn(new Receipt(stored.id(), stored.eventId(), stored.eventType(), false,
                                reader.actsOn(provider, stored.eventType())))
                : webhooks.findByEventId(tenant, provider, identity.eventId())
                        .map(earlier -> new Receipt(earlier.id(), earlier.eventId(), earlier.eventType(),
                                true, reader.actsOn(provider, earlier.eventType()))));
    }

    static String name(Payment.Provider provider) {
        return switch (provider) {
            case STRIPE -> "Stripe";
            case PAYPAL -> "PayPal";
            case MANUAL -> "manual";
        };
    }

    /**
     * Processes a stored delivery, named by a {@code webhook.received} event, in one transaction with the record of how
     * it went; one already processed is left as it is. Answers the delivery as processing left it.
     */
    public Mono<WebhookEvent> onWebhookReceived(EventEnvelope event) {
        TenantId tenant = new TenantId(event.tenantId());
        return unitOfWork.inTransaction(() -> webhooks.lock(tenant, event.aggregateId())
                .flatMap(stored -> stored.status() == WebhookEvent.Status.PROCESSED ? Mono.just(stored)
                        : effect(stored).flatMap(done -> webhooks.processed(done).thenReturn(done))));
    }

    private Mono<WebhookEvent> effect(WebhookEvent stored) {
        ProviderEvent read;
        try {
            read = reader.read(stored.provider(), stored.payload());
        } catch (IllegalArgumentException e) {
            return Mono.just(outcome(stored, WebhookEvent.Status.FAILED, "unreadable: " + e.getMessage()));
        }
        TenantId tenant = stored.tenant();
        Actor provider = Actor.system(stored.provider().wireName());
        return switch (read) {
            case ProviderEvent.PaymentSucceeded paid -> paid.invoiceId() == null
                    ? Mono.just(outcome(stored, WebhookEvent.Status.FAILED, "the payment names no Hostrail invoice"))
                    : payments.receiveInTransaction(tenant, provider, new PaymentService.ProviderReceipt(
                                    paid.invoiceId(), stored.provider(), stored.provider() == Payment.Provider.PAYPAL
                                            ? Payment.Method.PAYPAL : Payment.Method.CARD, paid.reference(),
                                    paid.amount(), paid.at()))
                            .map(payment -> outcome(stored, WebhookEvent.Status.PROCESSED, "payment " + payment.id()
                                    + " recorded: " + payment.applied() + " paid invoice " + payment.invoiceId()
                                    + ", " + payment.toCredit() + " to credit"))
                            .onErrorResume(DomainException.class, e -> e.code().equals(InvoiceService.NOT_FOUND)
                                    ? Mono.just(outcome(stored, WebhookEvent.Status.FAILED, e.getMessage()))
                                    : Mono.error(e));
            case ProviderEvent.PaymentProcessing processing -> payments
                    .findByReferenceInTransaction(tenant, stored.provider(), processing.reference())
                    .map(recorded -> outcome(stored, WebhookEvent.Status.PROCESSED,
                            "already succeeded as payment " + recorded.id() + "; nothing changes"))
                    .defaultIfEmpty(outcome(stored, WebhookEvent.Status.PROCESSED,
                            "processing at the provider; recorded when it succeeds"));
            case ProviderEvent.PaymentFailed failed -> payments
                    .findByReferenceInTransaction(tenant, stored.provider(), failed.reference())
                    .map(recorded -> outcome(stored, WebhookEvent.Status.PROCESSED,
                            "a late failure of payment " + recorded.id() + ", which succeeded; nothing changes"))
                    .switchIfEmpty(Mono.defer(() -> failed.invoiceId() == null
                            ? Mono.just(outcome(stored, WebhookEvent.Status.PROCESSED,
                                    "failed (" + failed.code() + "); it names no Hostrail invoice"))
                            : events.record(tenant, new PaymentFailed(failed.invoiceId(), stored.provider().wireName(),
                                            failed.reference(), failed.code(), failed.message()))
                                    .thenReturn(outcome(stored, WebhookEvent.Status.PROCESSED, "failed ("
                                            + failed.code() + ") for invoice " + failed.invoiceId()))));
            case ProviderEvent.DisputeOpened dispute -> payments.findByReferenceInTransaction(tenant,
                            stored.provider(), dispute.reference())
                    .flatMap(recorded -> recorded.disputed() ? Mono.just(outcome(stored,
                                    WebhookEvent.Status.PROCESSED, "payment " + recorded.id() + " was disputed already"))
                            : payments.disputeInTransaction(tenant, provider, stored.provider(), dispute.reference(),
                                            dispute.amount(), dispute.reason())
                                    .map(saved -> outcome(stored, WebhookEvent.Status.PROCESSED,
                                            "payment " + saved.id() + " disputed")))
                    .defaultIfEmpty(outcome(stored, WebhookEvent.Status.FAILED,
                            "no payment " + dispute.reference() + " is recorded"));
            case ProviderEvent.Refunded refunded -> Flux.fromIterable(refunded.refunds())
                    .concatMap(refund -> payments.recordProviderRefundInTransaction(tenant, provider,
                                    stored.provider(), refunded.paymentReference(), new PaymentService.ProviderRefund(
                                            refund.refundId(), refund.reference(), refund.amount(), refund.reason()
                                                    == null ? "Refunded at " + stored.provider().wireName()
                                                    : refund.reason()))
                            .map(recorded -> "refund " + refund.reference() + (recorded.duplicate()
                                    ? " was recorded already" : " recorded: " + refund.amount() + " back on payment "
                                    + recorded.payment().id())))
                    .collectList()
                    .map(done -> done.isEmpty() && !refunded.refunds().isEmpty()
                            ? outcome(stored, WebhookEvent.Status.FAILED, "no payment " + refunded.paymentReference()
                                    + " is recorded")
                            : outcome(stored, WebhookEvent.Status.PROCESSED, done.isEmpty()
                                    ? "it lists no refund that went through" : String.join("; ", done)))
                    .onErrorResume(DomainException.class, e -> e.code().equals(PaymentService.INVALID)
                            ? Mono.just(outcome(stored, WebhookEvent.Status.FAILED, e.getMessage()))
                            : Mono.error(e));
            case ProviderEvent.Unhandled unhandled -> Mono.just(outcome(stored, WebhookEvent.Status.UNHANDLED,
                    unhandled.type() + " is not acted on"));
        };
    }

    private WebhookEvent outcome(WebhookEvent stored, WebhookEvent.Status status, String outcome) {
        return new WebhookEvent(stored.id(), stored.tenant(), stored.provider(), stored.eventId(), stored.eventType(),
                stored.payload(), stored.receivedAt(), status, outcome, stored.attempts() + 1, clock.instant());
    }

    public Flux<WebhookEvent> list(Principal actor, Filter filter) {
        FieldErrors errors = new FieldErrors();
        Payment.Provider provider = filter.provider() == null ? null
                : errors.check("provider", () -> Payment.Provider.fromWire(filter.provider()));
        WebhookEvent.Status status = filter.status() == null ? null
                : errors.check("status", () -> WebhookEvent.Status.fromWire(filter.status()));
        try {
            errors.throwIfAny(ErrorCode.validation("webhook_event.invalid"), "The filter has invalid values.");
        } catch (DomainException e) {
            return Flux.error(e);
        }
        if (actor.kind() == UserKind.CLIENT) {
            return Flux.empty();
        }
        return unitOfWork.inTransactionMany(() -> webhooks.list(actor.tenant(),
                new WebhookEvents.Query(provider, status, filter.type(), filter.afterId(), filter.limit())));
    }

    public Mono<WebhookEvent> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id));
    }

    /**
     * Queues a stored delivery for processing again, for one that failed or was not acted on once the cause is fixed
     * (the invoice it names restored, the type now handled). One processed already is refused: its effect is made.
     */
    public Mono<WebhookEvent> replay(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> staffVisible(actor, id).flatMap(stored -> {
            if (stored.status() == WebhookEvent.Status.PROCESSED) {
                return Mono.error(new DomainException(ALREADY_PROCESSED, "Webhook event " + stored.eventId()
                        + " was processed: " + stored.outcome() + "."));
            }
            return events.record(stored.tenant(), new WebhookReceived(stored.id(), stored.provider().wireName(),
                            stored.eventId(), stored.eventType()))
                    .then(audit.record(stored.tenant(), Actors.of(actor), "webhook_event.replayed", "webhook_event",
                            stored.id().toString(), Map.of(), Map.of("eventId", stored.eventId())))
                    .thenReturn(stored);
        }));
    }

    /**
     * Sets the tenant's Stripe webhook signing secrets ({@code whsec_...}): one, or two while one is rotated, newest
     * first. They are sealed before they are stored and never shown again.
     */
    public Mono<Void> setStripeWebhookSecrets(Principal actor, List<String> given) {
        FieldErrors errors = new FieldErrors();
        List<String> clean = new ArrayList<>();
        if (given == null || given.isEmpty() || given.size() > MAX_SECRETS) {
            errors.add("webhookSecrets", "one, or two while rotating");
        } else {
            for (int i = 0; i < given.size(); i++) {
                String secret = given.get(i) == null ? "" : given.get(i).strip();
                if (!secret.matches("whsec_[A-Za-z0-9+/=_-]{8,200}")) {
                    errors.add("webhookSecrets[" + i + "]", "a Stripe signing secret starts with whsec_");
                } else if (clean.contains(secret)) {
                    errors.add("webhookSecrets[" + i + "]", "is given twice");
                } else {
                    clean.add(secret);
                }
            }
        }
        try {
            errors.throwIfAny(SECRETS_INVALID, "The webhook secrets are invalid.");
        } catch (DomainException e) {
            return Mono.error(e);
        }
        TenantId tenant = actor.tenant();
        Payment.Provider provider = Payment.Provider.STRIPE;
        List<String> sealed = clean.stream().map(s -> secrets.seal(s, context(tenant, provider))).toList();
        return unitOfWork.inTransaction(() -> accounts.saveWebhookSecrets(tenant, provider, sealed)
                .then(audit.record(tenant, Actors.of(actor), "payment_provider.webhook_secrets_set",
                        "payment_provider", provider.wireName(), Map.of(),
                        Map.of("secrets", String.valueOf(sealed.size()))))
                .then());
    }

    /** How many signing secrets the tenant has set for the provider; the secrets themselves are never shown. */
    public Mono<Integer> webhookSecretCount(Principal actor, Payment.Provider provider) {
        return unitOfWork.inTransaction(() -> accounts.sealedWebhookSecrets(actor.tenant(), provider).map(List::size));
    }

    private Mono<WebhookEvent> staffVisible(Principal actor, UUID id) {
        Mono<WebhookEvent> found = actor.kind() == UserKind.CLIENT ? Mono.empty() : webhooks.find(actor.tenant(), id);
        return found.switchIfEmpty(Mono.error(() -> new DomainException(NOT_FOUND, "No webhook event " + id
                + " exists.")));
    }

    /** Sealed secrets are bound to their tenant and provider: one copied to another row does not open. */
    public static String context(TenantId tenant, Payment.Provider provider) {
        return "webhook-secret:" + provider.wireName() + ":" + tenant.value();
    }
}
