package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.model.User;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.port.out.Users;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Users, always by tenant: the WHERE clause is the first wall, row-level security the second. */
public final class R2dbcUsers implements Users {

    private static final String SELECT = """
            SELECT u.id, u.tenant_id, u.email, u.display_name, u.kind, u.customer_id, u.status, u.version,
                   COALESCE(array_agg(ur.role_id) FILTER (WHERE ur.role_id IS NOT NULL), '{}') AS role_ids
            FROM app_user u LEFT JOIN user_role ur ON ur.user_id = u.id AND ur.tenant_id = u.tenant_id
            """;
    private static final String GROUP = " GROUP BY u.id";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcUsers(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<User> findById(TenantId tenant, UUID id) {
        return database.sql(SELECT + "WHERE u.tenant_id = :tenant AND u.id = :id" + GROUP)
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcUsers::toUser).one();
    }

    @Override
    public Mono<User> findByEmail(TenantId tenant, String email) {
        return database.sql(SELECT + "WHERE u.tenant_id = :tenant AND lower(u.email) = lower(:email)" + GROUP)
                .bind("tenant", tenant.value()).bind("email", email).map(R2dbcUsers::toUser).one();
    }

    @Override
    public Flux<User> list(TenantId tenant, UUID afterId, int limit) {
        var spec = database.sql(SELECT + "WHERE u.tenant_id = :tenant"
                        + (afterId == null ? "" : " AND u.id > :after") + GROUP + " ORDER BY u.id LIMIT :limit")
                .bind("tenant", tenant.value()).bind("limit", limit);
        if (afterId != null) {
            spec = spec.bind("after", afterId);
        }
        return spec.map(R2dbcUsers::toUser).all();
    }

    @Override
    public Mono<User> create(User user, String passwordHash) {
        var spec = database.sql("""
                        INSERT INTO app_user (id, tenant_id, email, display_name, password_hash, kind, customer_id, status,
                                              created_at, updated_at)
                        VALUES (:id, :tenant, :email, :name, :hash, :kind, :customer, :status, :now, :now)
                        """)
                .bind("id", user.id()).bind("tenant", user.tenant().value()).bind("email", user.email())
                .bind("name", user.displayName()).bind("hash", passwordHash)
                .bind("kind", user.kind().name().toLowerCase(Locale.ROOT))
                .bind("status", user.status().name().toLowerCase(Locale.ROOT)).bind("now", clock.instant());
        spec = user.customerId() == null ? spec.bindNull("customer", UUID.class) : spec.bind("customer", user.customerId());
        return spec.fetch().rowsUpdated().thenReturn(user);
    }

    @Override
    public Mono<String> passwordHash(TenantId tenant, UUID userId) {
        return database.sql("SELECT password_hash FROM app_user WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", userId)
                .map(row -> row.get("password_hash", String.class)).one();
    }

    @Override
    public Mono<User> update(User user, long expectedVersion) {
        return database.sql("""
                        UPDATE app_user SET display_name = :name, status = :status, updated_at = :now, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """)
                .bind("name", user.displayName()).bind("status", user.status().name().toLowerCase(Locale.ROOT))
                .bind("now", clock.instant()).bind("tenant", user.tenant().value()).bind("id", user.id())
                .bind("version", expectedVersion)
                .fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .map(updated -> new User(user.id(), user.tenant(), user.email(), user.displayName(), user.kind(),
                        user.customerId(), user.status(), user.roleIds(), expectedVersion + 1));
    }

    @Override
    public Mono<Void> replaceRoles(TenantId tenant, UUID userId, Set<UUID> roleIds) {
        return database.sql("DELETE FROM user_role WHERE tenant_id = :tenant AND user_id = :user")
                .bind("tenant", tenant.value()).bind("user", userId).fetch().rowsUpdated()
                .then(roleIds.isEmpty() ? Mono.empty() : database.sql("""
                                INSERT INTO user_role (tenant_id, user_id, role_id)
                                SELECT :tenant, :user, unnest(:roles::uuid[])
                                """)
                        .bind("tenant", tenant.value()).bind("user", userId).bind("roles", roleIds.toArray(UUID[]::new))
                        .fetch().rowsUpdated().then());
    }

    @Override
    public Mono<Void> changePasswordHash(TenantId tenant, UUID userId, String passwordHash) {
        return database.sql("""
                        UPDATE app_user SET password_hash = :hash, updated_at = :now, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("hash", passwordHash).bind("now", clock.instant()).bind("tenant", tenant.value()).bind("id", userId)
                .fetch().rowsUpdated().then();
    }

    private static User toUser(Readable row) {
        UUID[] roleIds = row.get("role_ids", UUID[].class);
        return new User(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)), row.get("email", String.class),
                row.get("display_name", String.class), UserKind.valueOf(row.get("kind", String.class).toUpperCase(Locale.ROOT)),
                row.get("customer_id", UUID.class), User.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)),
                roleIds == null ? Set.of() : Arrays.stream(roleIds).collect(Collectors.toSet()), row.get("version", Long.class));
    }
}
