package io.hostrail.shared.model;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The tenant a piece of reactive work runs for, carried in the Reactor context. The API puts it there
 * from the authenticated token (never from a request parameter); the unit of work hands it to
 * PostgreSQL so row-level security shows only that tenant's rows.
 */
public final class TenantContext {

    private static final Class<TenantId> KEY = TenantId.class;

    private TenantContext() {
    }

    public static Mono<TenantId> current() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(find(context)));
    }

    public static java.util.Optional<TenantId> find(ContextView context) {
        return context.getOrEmpty(KEY);
    }

    /** Runs {@code work} for {@code tenant}. */
    public static <T> Mono<T> within(TenantId tenant, Mono<T> work) {
        return work.contextWrite(Context.of(KEY, tenant));
    }

    public static Context put(Context context, TenantId tenant) {
        return context.put(KEY, tenant);
    }
}
