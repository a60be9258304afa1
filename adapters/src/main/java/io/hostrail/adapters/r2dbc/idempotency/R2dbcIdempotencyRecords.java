package io.hostrail.adapters.r2dbc.idempotency;

import io.hostrail.shared.idempotency.IdempotentResponse;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.IdempotencyRecords;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

public final class R2dbcIdempotencyRecords implements IdempotencyRecords {

    private final DatabaseClient database;

    public R2dbcIdempotencyRecords(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Boolean> claim(TenantId tenant, UUID caller, String key, String requestHash, Instant now,
            Instant expiredBefore) {
        // An expired record is taken over as if it were not there: keys live a day, not until the next purge.
        return database.sql("""
                        INSERT INTO idempotency_record (tenant_id, caller_id, idempotency_key, request_hash, claimed_at)
                        VALUES (:tenant, :caller, :key, :hash, :now)
                        ON CONFLICT (tenant_id, caller_id, idempotency_key) DO UPDATE
                            SET request_hash = EXCLUDED.request_hash, claimed_at = EXCLUDED.claimed_at, completed_at = NULL,
                                response_status = NULL, response_type = NULL, response_location = NULL,
                                response_body = NULL, answer_withheld = false
                            WHERE idempotency_record.claimed_at < :expiredBefore
                        """)
                .bind("tenant", tenant.value()).bind("caller", caller).bind("key", key).bind("hash", requestHash)
                .bind("now", now).bind("expiredBefore", expiredBefore)
                .fetch().rowsUpdated().map(claimed -> claimed == 1);
    }

    @Override
    public Mono<Recorded> find(TenantId tenant, UUID caller, String key, Instant expiredBefore) {
        return database.sql("""
                        SELECT request_hash, response_status, response_type, response_location, response_body, answer_withheld
                        FROM idempotency_record
                        WHERE tenant_id = :tenant AND caller_id = :caller AND idempotency_key = :key
                          AND claimed_at >= :expiredBefore
                        """)
                .bind("tenant", tenant.value()).bind("caller", caller).bind("key", key).bind("expiredBefore", expiredBefore)
                .map(row -> {
                    Integer status = row.get("response_status", Integer.class);
                    Optional<IdempotentResponse> response = status == null ? Optional.empty()
                            : Optional.of(new IdempotentResponse(status, row.get("response_type", String.class),
                                    row.get("response_location", String.class), bytes(row.get("response_body", ByteBuffer.class)),
                                    row.get("answer_withheld", Boolean.class)));
                    return new Recorded(row.get("request_hash", String.class), response);
                })
                .one();
    }

    @Override
    public Mono<Void> complete(TenantId tenant, UUID caller, String key, IdempotentResponse response, Instant now) {
        var spec = database.sql("""
                        UPDATE idempotency_record SET completed_at = :now, response_status = :status, response_type = :type,
                            response_location = :location, response_body = :body, answer_withheld = :withheld
                        WHERE tenant_id = :tenant AND caller_id = :caller AND idempotency_key = :key
                        """)
                .bind("tenant", tenant.value()).bind("caller", caller).bind("key", key).bind("now", now)
                .bind("status", response.status()).bind("body", ByteBuffer.wrap(response.body()))
                .bind("withheld", response.withheld());
        spec = response.contentType() == null ? spec.bindNull("type", String.class) : spec.bind("type", response.contentType());
        spec = response.location() == null ? spec.bindNull("location", String.class) : spec.bind("location", response.location());
        return spec.fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Void> release(TenantId tenant, UUID caller, String key) {
        return database.sql("""
                        DELETE FROM idempotency_record
                        WHERE tenant_id = :tenant AND caller_id = :caller AND idempotency_key = :key AND completed_at IS NULL
                        """)
                .bind("tenant", tenant.value()).bind("caller", caller).bind("key", key).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Long> deleteClaimedBefore(TenantId tenant, Instant cutoff) {
        return database.sql("DELETE FROM idempotency_record WHERE tenant_id = :tenant AND claimed_at < :cutoff")
                .bind("tenant", tenant.value()).bind("cutoff", cutoff).fetch().rowsUpdated();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
