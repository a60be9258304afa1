package io.hostrail.adapters.r2dbc.audit;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.model.AuditChain;
import io.hostrail.audit.model.AuditEntry;
import io.hostrail.audit.model.AuditQuery;
import io.hostrail.audit.model.AuditRecord;
import io.hostrail.audit.port.out.AuditLog;
import io.hostrail.shared.model.IdGenerator;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The audit trail in PostgreSQL: one locked chain head per tenant serialises appends. */
public final class R2dbcAuditLog implements AuditLog {

    private static final TypeReference<Map<String, String>> VALUES = new TypeReference<>() {};
    private static final String COLUMNS = """
            id, tenant_id, sequence, actor_kind, actor_id, actor_display, action, target_type, target_id,
            before_values::text AS before_values, after_values::text AS after_values, occurred_at, ip, request_id,
            previous_hash, hash""";

    private final DatabaseClient database;
    private final JsonMapper json;
    private final IdGenerator ids;

    public R2dbcAuditLog(DatabaseClient database, JsonMapper json, IdGenerator ids) {
        this.database = database;
        this.json = json;
        this.ids = ids;
    }

    @Override
    public Mono<AuditRecord> append(AuditEntry entry) {
        UUID tenant = entry.tenantId();
        // Make sure the head row exists, then lock it: concurrent appends for a tenant queue here.
        return database.sql("""
                        INSERT INTO audit_chain_head (tenant_id, sequence, hash) VALUES (:tenant, 0, :genesis)
                        ON CONFLICT (tenant_id) DO NOTHING
                        """)
                .bind("tenant", tenant).bind("genesis", AuditChain.GENESIS_HASH).fetch().rowsUpdated()
                .then(database.sql("SELECT sequence, hash FROM audit_chain_head WHERE tenant_id = :tenant FOR UPDATE")
                        .bind("tenant", tenant)
                        .map(row -> new ChainHead(row.get("sequence", Long.class), row.get("hash", String.class)))
                        .one())
                .flatMap(head -> {
                    long sequence = head.sequence() + 1;
                    AuditRecord record = new AuditRecord(ids.newId(), sequence, entry, head.hash(),
                            AuditChain.hash(sequence, entry, head.hash()));
                    return insert(record)
                            .then(database.sql("UPDATE audit_chain_head SET sequence = :sequence, hash = :hash WHERE tenant_id = :tenant")
                                    .bind("sequence", sequence).bind("hash", record.hash()).bind("tenant", tenant)
                                    .fetch().rowsUpdated())
                            .thenReturn(record);
                });
    }

    private Mono<Long> insert(AuditRecord record) {
        AuditEntry entry = record.entry();
        var spec = database.sql("""
                        INSERT INTO audit_record (id, tenant_id, sequence, actor_kind, actor_id, actor_display, action,
                            target_type, target_id, before_values, after_values, occurred_at, ip, request_id,
                            previous_hash, hash)
                        VALUES (:id, :tenant, :sequence, :actorKind, :actorId, :actorDisplay, :action, :targetType,
                            :targetId, :before, :after, :occurredAt, :ip, :requestId, :previousHash, :hash)
                        """)
                .bind("id", record.id()).bind("tenant", entry.tenantId()).bind("sequence", record.sequence())
                .bind("actorKind", entry.actor().kind().name()).bind("actorDisplay", entry.actor().display())
                .bind("action", entry.action()).bind("targetType", entry.targetType())
                .bind("before", Json.of(json.writeValueAsString(entry.before())))
                .bind("after", Json.of(json.writeValueAsString(entry.after())))
                .bind("occurredAt", entry.occurredAt()).bind("previousHash", record.previousHash())
                .bind("hash", record.hash());
        spec = entry.actor().id() == null ? spec.bindNull("actorId", UUID.class) : spec.bind("actorId", entry.actor().id());
        spec = entry.targetId() == null ? spec.bindNull("targetId", String.class) : spec.bind("targetId", entry.targetId());
        spec = entry.ip() == null ? spec.bindNull("ip", String.class) : spec.bind("ip", entry.ip());
        spec = entry.requestId() == null ? spec.bindNull("requestId", String.class) : spec.bind("requestId", entry.requestId());
        return spec.fetch().rowsUpdated();
    }

    @Override
    public Flux<AuditRecord> read(UUID tenantId, long fromSequence, int limit) {
        return database.sql("SELECT " + COLUMNS + " FROM audit_record WHERE tenant_id = :tenant AND sequence >= :from "
                        + "ORDER BY sequence LIMIT :limit")
                .bind("tenant", tenantId).bind("from", fromSequence).bind("limit", limit)
                .map(this::toRecord).all();
    }

    @Override
    public Mono<ChainHead> head(UUID tenantId) {
        return database.sql("SELECT sequence, hash FROM audit_chain_head WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map(row -> new ChainHead(row.get("sequence", Long.class), row.get("hash", String.class))).one();
    }

    @Override
    public Flux<AuditRecord> search(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_record WHERE tenant_id = :tenant");
        if (query.action() != null) {
            sql.append(" AND action = :action");
        }
        if (query.actorId() != null) {
            sql.append(" AND actor_id = :actorId");
        }
        if (query.targetType() != null) {
            sql.append(" AND target_type = :targetType");
        }
        if (query.targetId() != null) {
            sql.append(" AND target_id = :targetId");
        }
        if (query.from() != null) {
            sql.append(" AND occurred_at >= :from");
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at < :to");
        }
        if (query.beforeSequence() != null) {
            sql.append(" AND sequence < :before");
        }
        sql.append(" ORDER BY sequence DESC LIMIT :limit");
        var spec = database.sql(sql.toString()).bind("tenant", query.tenantId()).bind("limit", query.limit());
        if (query.action() != null) {
            spec = spec.bind("action", query.action());
        }
        if (query.actorId() != null) {
            spec = spec.bind("actorId", query.actorId());
        }
        if (query.targetType() != null) {
            spec = spec.bind("targetType", query.targetType());
        }
        if (query.targetId() != null) {
            spec = spec.bind("targetId", query.targetId());
        }
        if (query.from() != null) {
            spec = spec.bind("from", query.from());
        }
        if (query.to() != null) {
            spec = spec.bind("to", query.to());
        }
        if (query.beforeSequence() != null) {
            spec = spec.bind("before", query.beforeSequence());
        }
        return spec.map(this::toRecord).all();
    }

    private AuditRecord toRecord(Readable row) {
        Actor actor = new Actor(Actor.Kind.valueOf(row.get("actor_kind", String.class)), row.get("actor_id", UUID.class),
                row.get("actor_display", String.class));
        AuditEntry entry = new AuditEntry(row.get("tenant_id", UUID.class), actor, row.get("action", String.class),
                row.get("target_type", String.class), row.get("target_id", String.class),
                json.readValue(row.get("before_values", String.class), VALUES),
                json.readValue(row.get("after_values", String.class), VALUES),
                row.get("occurred_at", OffsetDateTime.class).toInstant(), row.get("ip", String.class),
                row.get("request_id", String.class));
        return new AuditRecord(row.get("id", UUID.class), row.get("sequence", Long.class), entry,
                row.get("previous_hash", String.class), row.get("hash", String.class));
    }
}
