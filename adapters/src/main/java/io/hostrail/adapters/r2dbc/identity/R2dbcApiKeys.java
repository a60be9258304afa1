package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.model.ApiKey;
import io.hostrail.identity.model.IpRange;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.port.out.ApiKeys;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcApiKeys implements ApiKeys {

    private static final String COLUMNS = """
            id, tenant_id, name, prefix, secret_hash, scopes, allowed_ips, expires_at, created_by, created_at,
            last_used_at, revoked_at""";

    private final DatabaseClient database;

    public R2dbcApiKeys(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<TenantId> tenantOfPrefix(String prefix) {
        return database.sql("SELECT tenant_id FROM api_key_prefix WHERE prefix = :prefix").bind("prefix", prefix)
                .map(row -> new TenantId(row.get("tenant_id", UUID.class))).one();
    }

    @Override
    public Mono<ApiKey> create(ApiKey key, byte[] secretHash) {
        var insert = database.sql("""
                        INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash, scopes, allowed_ips, expires_at,
                                             created_by, created_at)
                        VALUES (:id, :tenant, :name, :prefix, :hash, :scopes, :ips, :expires, :createdBy, :createdAt)
                        """)
                .bind("id", key.id()).bind("tenant", key.tenant().value()).bind("name", key.name())
                .bind("prefix", key.prefix()).bind("hash", secretHash)
                .bind("scopes", key.scopes().stream().map(Permission::value).toArray(String[]::new))
                .bind("ips", key.allowedIps().stream().map(IpRange::cidr).toArray(String[]::new))
                .bind("createdBy", key.createdBy()).bind("createdAt", key.createdAt());
        insert = key.expiresAt() == null ? insert.bindNull("expires", Instant.class) : insert.bind("expires", key.expiresAt());
        return database.sql("INSERT INTO api_key_prefix (prefix, tenant_id) VALUES (:prefix, :tenant)")
                .bind("prefix", key.prefix()).bind("tenant", key.tenant().value()).fetch().rowsUpdated()
                .then(insert.fetch().rowsUpdated())
                .thenReturn(key);
    }

    @Override
    public Mono<ApiKey> findById(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM api_key WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcApiKeys::toKey).one();
    }

    @Override
    public Mono<StoredApiKey> findByPrefix(TenantId tenant, String prefix) {
        return database.sql("SELECT " + COLUMNS + " FROM api_key WHERE tenant_id = :tenant AND prefix = :prefix")
                .bind("tenant", tenant.value()).bind("prefix", prefix)
                .map(row -> new StoredApiKey(toKey(row), row.get("secret_hash", byte[].class))).one();
    }

    @Override
    public Flux<ApiKey> list(TenantId tenant) {
        return database.sql("SELECT " + COLUMNS + " FROM api_key WHERE tenant_id = :tenant ORDER BY created_at DESC")
                .bind("tenant", tenant.value()).map(R2dbcApiKeys::toKey).all();
    }

    @Override
    public Mono<Boolean> revoke(TenantId tenant, UUID id, Instant at) {
        return database.sql("UPDATE api_key SET revoked_at = :at WHERE tenant_id = :tenant AND id = :id AND revoked_at IS NULL")
                .bind("at", at).bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated().map(updated -> updated == 1);
    }

    @Override
    public Mono<Void> touch(TenantId tenant, UUID id, Instant at) {
        return database.sql("UPDATE api_key SET last_used_at = :at WHERE tenant_id = :tenant AND id = :id")
                .bind("at", at).bind("tenant", tenant.value()).bind("id", id).fetch().rowsUpdated().then();
    }

    private static ApiKey toKey(Readable row) {
        String[] scopes = row.get("scopes", String[].class);
        String[] ips = row.get("allowed_ips", String[].class);
        return new ApiKey(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("name", String.class), row.get("prefix", String.class),
                Arrays.stream(scopes).map(Permission::of).collect(Collectors.toSet()),
                Arrays.stream(ips).map(IpRange::new).toList(),
                instant(row.get("expires_at", OffsetDateTime.class)), row.get("created_by", UUID.class),
                instant(row.get("created_at", OffsetDateTime.class)), instant(row.get("last_used_at", OffsetDateTime.class)),
                instant(row.get("revoked_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
