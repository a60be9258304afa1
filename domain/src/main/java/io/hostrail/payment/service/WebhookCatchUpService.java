package io.hostrail.payment.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.port.out.ProviderEvents;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Catching up on webhooks that never arrived: reads the provider's own log of events and stores each one not stored
 * yet exactly as its delivery would have been (under its event id, with {@code webhook.received}), so it is processed
 * by the same consumer, once. Stripe keeps 30 days of events; PayPal's log is not read (PayPal redelivers a webhook
 * for three days, and verifies none fetched this way).
 */
public final class WebhookCatchUpService {

    public static final ErrorCode INVALID = ErrorCode.validation("webhook_catch_up.invalid");
    /** How far back Stripe lists events. */
    public static final Duration PROVIDER_RETENTION = Duration.ofDays(30);
    /** Looked back when no start is given. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(3);

    /** What a catch-up found: events listed by the provider, stored now, and known already. */
    public record Result(Payment.Provider provider, Instant since, int fetched, int stored, int alreadyKnown) {
    }

    private final WebhookService webhooks;
    private final PaymentProviderService providers;
    private final ProviderEvents stripeEvents;
    private final UnitOfWork unitOfWork;
    private final AuditTrail audit;
    private final Clock clock;

    public WebhookCatchUpService(WebhookService webhooks, PaymentProviderService providers,
            ProviderEvents stripeEvents, UnitOfWork unitOfWork, AuditTrail audit, Clock clock) {
        this.webhooks = webhooks;
        this.providers = providers;
        this.stripeEvents = stripeEvents;
        this.unitOfWork = unitOfWork;
        this.audit = audit;
        this.clock = clock;
    }

    /** Staff catch up on the provider's events since {@code since} (three days ago when null). */
    public Mono<Result> catchUp(Principal actor, String provider, Instant since) {
        Instant now = clock.instant();
        FieldErrors errors = new FieldErrors();
        if (!"stripe".equals(provider)) {
            errors.add("provider", "paypal".equals(provider)
                    ? "PayPal's event log is not read: PayPal redelivers each webhook for three days"
                    : "is required: stripe");
        }
        Instant from = since == null ? now.minus(DEFAULT_WINDOW) : since;
        if (from.isAfter(now)) {
            errors.add("since", "must not be in the future");
        } else if (from.isBefore(now.minus(PROVIDER_RETENTION))) {
            errors.add("since", "Stripe keeps " + PROVIDER_RETENTION.toDays() + " days of events");
        }
        if (!errors.isEmpty()) {
            return Mono.error(errors.toException(INVALID, "The catch-up has invalid fields."));
        }
        if (actor.kind() == UserKind.CLIENT) {
            return Mono.error(new DomainException(WebhookService.NOT_FOUND, "No webhook events exist here."));
        }
        return run(actor.tenant(), Actors.of(actor), from);
    }

    /** A scheduled catch-up of the tenant's Stripe events of the last {@code window}; empty when Stripe is not connected. */
    public Mono<Result> catchUpScheduled(TenantId tenant, Duration window) {
        return providers.connected(tenant)
                .filter(connected -> connected.contains(Payment.Provider.STRIPE))
                .flatMap(connected -> run(tenant, Actor.system("webhook-catch-up"), clock.instant().minus(window)));
    }

    /**
     * Stores what the provider lists, event by event; an event stored is kept even when a later page cannot be read, in
     * which case the provider's failure is answered with the counts so far in its detail.
     */
    private Mono<Result> run(TenantId tenant, Actor who, Instant since) {
        Payment.Provider provider = Payment.Provider.STRIPE;
        AtomicInteger fetched = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        return providers.connection(tenant, provider)
                .flatMap(connection -> stripeEvents.since(connection.account(), since)
                        .concatMap(event -> {
                            fetched.incrementAndGet();
                            return webhooks.store(tenant, provider, event.rawJson())
                                    .doOnNext(receipt -> {
                                        if (!receipt.duplicate()) {
                                            stored.incrementAndGet();
                                        }
                                    });
                        })
                        .then(Mono.fromSupplier(() -> new Result(provider, since, fetched.get(), stored.get(),
                                fetched.get() - stored.get())))
                        .onErrorMap(DomainException.class, failure -> new DomainException(failure.code(),
                                failure.getMessage() + " After " + fetched.get() + " events read, " + stored.get()
                                        + " of them new and stored; run the catch-up again.")))
                .flatMap(result -> TenantContext.within(tenant, unitOfWork.inTransaction(() -> audit.record(tenant,
                        who, "webhook_event.caught_up", "payment_provider", provider.wireName(), Map.of(),
                        summary(result)))).thenReturn(result));
    }

    private static Map<String, String> summary(Result result) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("since", result.since().toString());
        summary.put("fetched", String.valueOf(result.fetched()));
        summary.put("stored", String.valueOf(result.stored()));
        return summary;
    }
}
