package io.hostrail.shared.event;

import reactor.core.publisher.Mono;

/**
 * Applies one event's effect. It runs inside the unit of work that also records the event as
 * processed, so the effect must use the transactional ports only and must not call out to
 * providers: an effect commits together with its "processed" mark, or not at all.
 */
@FunctionalInterface
public interface EventHandler {

    Mono<Void> handle(EventEnvelope event);
}
