package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.model.Tenant;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcTenants implements Tenants {

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcTenants(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<Tenant> findBySlug(String slug) {
        return database.sql("SELECT id, slug, name, status FROM tenant WHERE slug = :slug").bind("slug", slug)
                .map(R2dbcTenants::toTenant).one();
    }

    @Override
    public Mono<Tenant> findById(TenantId id) {
        return database.sql("SELECT id, slug, name, status FROM tenant WHERE id = :id").bind("id", id.value())
                .map(R2dbcTenants::toTenant).one();
    }

    @Override
    public Mono<Boolean> anyExist() {
        return database.sql("SELECT EXISTS (SELECT 1 FROM tenant) AS any").map(row -> row.get("any", Boolean.class)).one();
    }

    @Override
    public Mono<Tenant> create(Tenant tenant) {
        return database.sql("INSERT INTO tenant (id, slug, name, status, created_at) VALUES (:id, :slug, :name, :status, :now)")
                .bind("id", tenant.id().value()).bind("slug", tenant.slug()).bind("name", tenant.name())
                .bind("status", tenant.status().name().toLowerCase(Locale.ROOT)).bind("now", clock.instant())
                .fetch().rowsUpdated().thenReturn(tenant);
    }

    @Override
    public Flux<TenantId> allIds() {
        return database.sql("SELECT id FROM tenant ORDER BY id").map(row -> new TenantId(row.get("id", UUID.class))).all();
    }

    private static Tenant toTenant(Readable row) {
        return new Tenant(new TenantId(row.get("id", UUID.class)), row.get("slug", String.class), row.get("name", String.class),
                Tenant.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)));
    }
}
