package io.hostrail.identity.port.out;

import io.hostrail.identity.model.LoginThrottlePolicy.State;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/** Failed sign-in counts per subject, shared by every instance. */
public interface LoginThrottle {

    Mono<State> state(String subject);

    /** Applies {@code change} to the subject's state atomically and returns the new state. */
    Mono<State> update(String subject, UnaryOperator<State> change);

    Mono<Void> clear(String subject);

    /** Forgets subjects with no failure since {@code cutoff}: attackers choose subjects, so the table must not grow forever. */
    Mono<Long> purgeQuietSince(java.time.Instant cutoff);
}
