package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcRoles implements Roles {

    private static final String SELECT =
            "SELECT id, tenant_id, name, description, permissions, built_in, requires_second_factor, version FROM role ";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcRoles(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Flux<Role> list(TenantId tenant) {
        return database.sql(SELECT + "WHERE tenant_id = :tenant ORDER BY built_in DESC, name")
                .bind("tenant", tenant.value()).map(R2dbcRoles::toRole).all();
    }

    @Override
    public Mono<Role> findById(TenantId tenant, UUID id) {
        return database.sql(SELECT + "WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcRoles::toRole).one();
    }

    @Override
    public Mono<Role> findByName(TenantId tenant, String name) {
        return database.sql(SELECT + "WHERE tenant_id = :tenant AND name = :name")
                .bind("tenant", tenant.value()).bind("name", name).map(R2dbcRoles::toRole).one();
    }

    @Override
    public Flux<Role> findAll(TenantId tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        return database.sql(SELECT + "WHERE tenant_id = :tenant AND id = ANY(:ids)")
                .bind("tenant", tenant.value()).bind("ids", ids.toArray(UUID[]::new)).map(R2dbcRoles::toRole).all();
    }

    @Override
    public Mono<Role> create(Role role) {
        return database.sql("""
                        INSERT INTO role (id, tenant_id, name, description, permissions, built_in, created_at)
                        VALUES (:id, :tenant, :name, :description, :permissions, :builtIn, :now)
                        """)
                .bind("id", role.id()).bind("tenant", role.tenant().value()).bind("name", role.name())
                .bind("description", role.description()).bind("permissions", names(role))
                .bind("builtIn", role.builtIn()).bind("now", clock.instant())
                .fetch().rowsUpdated().thenReturn(role);
    }

    @Override
    public Mono<Role> update(Role role, long expectedVersion) {
        return database.sql("""
                        UPDATE role SET description = :description, permissions = :permissions, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version AND NOT built_in
                        """)
                .bind("description", role.description()).bind("permissions", names(role))
                .bind("tenant", role.tenant().value()).bind("id", role.id()).bind("version", expectedVersion)
                .fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .map(updated -> new Role(role.id(), role.tenant(), role.name(), role.description(), role.permissions(),
                        false, role.requiresSecondFactor(), expectedVersion + 1));
    }

    @Override
    public Mono<Role> setRequiresSecondFactor(TenantId tenant, UUID id, boolean required) {
        return database.sql("UPDATE role SET requires_second_factor = :required, version = version + 1 "
                        + "WHERE tenant_id = :tenant AND id = :id")
                .bind("required", required).bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .flatMap(updated -> findById(tenant, id));
    }

    @Override
    public Mono<Boolean> delete(TenantId tenant, UUID id) {
        return database.sql("DELETE FROM role WHERE tenant_id = :tenant AND id = :id AND NOT built_in")
                .bind("tenant", tenant.value()).bind("id", id).fetch().rowsUpdated().map(deleted -> deleted == 1);
    }

    @Override
    public Mono<Long> countHolders(TenantId tenant, UUID roleId) {
        return database.sql("""
                        SELECT count(*) AS holders FROM user_role ur JOIN app_user u ON u.id = ur.user_id
                        WHERE ur.tenant_id = :tenant AND ur.role_id = :role AND u.status = 'active'
                        """)
                .bind("tenant", tenant.value()).bind("role", roleId).map(row -> row.get("holders", Long.class)).one();
    }

    private static String[] names(Role role) {
        return role.permissions().stream().map(Permission::value).toArray(String[]::new);
    }

    private static Role toRole(Readable row) {
        String[] permissions = row.get("permissions", String[].class);
        return new Role(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)), row.get("name", String.class),
                row.get("description", String.class),
                Arrays.stream(permissions == null ? new String[0] : permissions).map(Permission::of).collect(Collectors.toSet()),
                Boolean.TRUE.equals(row.get("built_in", Boolean.class)),
                Boolean.TRUE.equals(row.get("requires_second_factor", Boolean.class)), row.get("version", Long.class));
    }
}
