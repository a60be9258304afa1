package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.WebhookEvent;
import io.hostrail.shared.model.TenantId;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where webhook deliveries are kept, raw, under their provider's event id. */
public interface WebhookEvents {

    record Query(Payment.Provider provider, WebhookEvent.Status status, String eventType, UUID afterId, int limit) {
    }

    /** Stores the delivery unless one with its provider and event id is stored; true when this one was. */
    Mono<Boolean> insertIfAbsent(WebhookEvent event);

    Mono<WebhookEvent> find(TenantId tenant, UUID id);

    /** The stored delivery, locked until the caller's transaction ends, so it is processed by one at a time. */
    Mono<WebhookEvent> lock(TenantId tenant, UUID id);

    Mono<WebhookEvent> findByEventId(TenantId tenant, Payment.Provider provider, String eventId);

    /** Records how processing went, and counts the attempt. */
    Mono<Void> processed(WebhookEvent event);

    /** Oldest first, in id order after {@code afterId}. */
    Flux<WebhookEvent> list(TenantId tenant, Query query);
}
