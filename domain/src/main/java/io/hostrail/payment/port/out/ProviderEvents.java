package io.hostrail.payment.port.out;

import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.FetchedProviderEvent;
import java.time.Instant;
import reactor.core.publisher.Flux;

/**
 * The provider's own log of events, read to catch up on webhooks that never arrived. Events are processed in any order
 * (the design requires it), so the order each method gives is a convenience, not a promise. A page the provider could
 * not give ends the {@code Flux} with a {@link io.hostrail.shared.error.DomainException} (codes in
 * {@link io.hostrail.payment.model.GatewayErrors}) after the events already read.
 */
public interface ProviderEvents {

    /** Events created at or after {@code since}, newest first. */
    Flux<FetchedProviderEvent> since(GatewayAccount account, Instant since);

    /** Events created after the event {@code eventId}, oldest first. */
    Flux<FetchedProviderEvent> after(GatewayAccount account, String eventId);
}
