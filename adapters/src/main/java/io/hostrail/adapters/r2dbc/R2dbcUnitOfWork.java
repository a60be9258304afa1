package io.hostrail.adapters.r2dbc;

import io.hostrail.shared.port.out.UnitOfWork;
import java.util.function.Supplier;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** One R2DBC transaction per unit of work; work already inside one joins it. */
public final class R2dbcUnitOfWork implements UnitOfWork {

    private final TransactionalOperator transactions;

    public R2dbcUnitOfWork(TransactionalOperator transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> Mono<T> inTransaction(Supplier<Mono<T>> work) {
        return Mono.defer(work).as(transactions::transactional);
    }

    @Override
    public <T> Flux<T> inTransactionMany(Supplier<Flux<T>> work) {
        return Flux.defer(work).as(transactions::transactional);
    }
}
