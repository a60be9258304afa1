package io.hostrail.shared.port.out;

import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A database transaction around a use case. Everything the work does through transactional ports
 * (state changes and the events recorded with {@code DomainEvents}) commits together or rolls back
 * together. Never wrap a provider call in it: record the attempt, call out, record the outcome.
 */
public interface UnitOfWork {

    <T> Mono<T> inTransaction(Supplier<Mono<T>> work);

    <T> Flux<T> inTransactionMany(Supplier<Flux<T>> work);
}
