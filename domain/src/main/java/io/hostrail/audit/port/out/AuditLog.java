package io.hostrail.audit.port.out;

import io.hostrail.audit.model.AuditEntry;
import io.hostrail.audit.model.AuditQuery;
import io.hostrail.audit.model.AuditRecord;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tenant's append-only, hash-chained record of privileged actions. Records are never updated or
 * deleted; {@link io.hostrail.audit.model.AuditChain#verify} proves that of the stored ones.
 */
public interface AuditLog {

    /**
     * Appends the entry to its tenant's chain, as the record after the tenant's current last one
     * (built with {@link io.hostrail.audit.model.AuditChain#append}), and emits what was stored. Appends
     * to one tenant's chain are serialised, e.g. by locking the tenant's chain head, so no two records
     * ever follow the same one. Runs inside the caller's unit of work: the record is kept only if the
     * audited change commits.
     */
    Mono<AuditRecord> append(AuditEntry entry);

    /**
     * Up to {@code limit} of the tenant's records with sequence {@code fromSequence} or later, in
     * ascending sequence order; empty past the end of the chain.
     */
    Flux<AuditRecord> read(UUID tenantId, long fromSequence, int limit);

    /** The newest sequence and hash of the tenant's chain; empty when nothing was ever recorded. */
    Mono<ChainHead> head(UUID tenantId);

    /** Records matching the query, newest first. */
    Flux<AuditRecord> search(AuditQuery query);

    record ChainHead(long sequence, String hash) {
    }
}
