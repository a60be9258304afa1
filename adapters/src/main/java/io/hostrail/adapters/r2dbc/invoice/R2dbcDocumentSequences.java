package io.hostrail.adapters.r2dbc.invoice;

import io.hostrail.invoice.port.out.DocumentSequences;
import io.hostrail.shared.model.TenantId;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * One row per sequence, incremented in place: the row lock taken by the upsert is held until the issuing transaction
 * ends, which is what makes the numbers gapless (a PostgreSQL SEQUENCE would skip on rollback).
 */
public final class R2dbcDocumentSequences implements DocumentSequences {

    private final DatabaseClient database;

    public R2dbcDocumentSequences(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Long> nextBlock(TenantId tenant, Kind kind, String scope, int count) {
        if (count < 1) {
            return Mono.error(new IllegalArgumentException("count: at least 1"));
        }
        return database.sql("""
                        INSERT INTO document_sequence (tenant_id, kind, scope, last_value)
                        VALUES (:tenant, :kind, :scope, :count)
                        ON CONFLICT (tenant_id, kind, scope)
                            DO UPDATE SET last_value = document_sequence.last_value + :count
                        RETURNING last_value
                        """)
                .bind("tenant", tenant.value()).bind("kind", kind.name().toLowerCase(Locale.ROOT)).bind("scope", scope)
                .bind("count", (long) count)
                .map(row -> row.get("last_value", Long.class) - count + 1).one();
    }
}
