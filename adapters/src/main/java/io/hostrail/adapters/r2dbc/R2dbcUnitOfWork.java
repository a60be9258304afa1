package io.hostrail.adapters.r2dbc;

import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.port.out.UnitOfWork;
import java.util.function.Supplier;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * One R2DBC transaction per unit of work; work already inside one joins it. The transaction starts by
 * telling PostgreSQL which tenant it serves ({@code SET LOCAL hostrail.tenant_id}), so row-level
 * security hides every other tenant's rows; without a tenant in the context, tenant tables show none.
 */
public final class R2dbcUnitOfWork implements UnitOfWork {

    private final TransactionalOperator transactions;
    private final DatabaseClient database;

    public R2dbcUnitOfWork(TransactionalOperator transactions, DatabaseClient database) {
        this.transactions = transactions;
        this.database = database;
    }

    @Override
    public <T> Mono<T> inTransaction(Supplier<Mono<T>> work) {
        return Mono.deferContextual(context -> bindTenant(context).then(Mono.defer(work)))
                .as(transactions::transactional);
    }

    @Override
    public <T> Flux<T> inTransactionMany(Supplier<Flux<T>> work) {
        return Flux.deferContextual(context -> bindTenant(context).thenMany(Flux.defer(work)))
                .as(transactions::transactional);
    }

    private Mono<Void> bindTenant(ContextView context) {
        return TenantContext.find(context)
                .map(tenant -> database.sql("SELECT set_config('hostrail.tenant_id', :tenant, true)")
                        .bind("tenant", tenant.value().toString())
                        .fetch().rowsUpdated().then())
                .orElse(Mono.empty());
    }
}
