package io.hostrail.audit.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.model.AuditChain;
import io.hostrail.audit.model.AuditEntry;
import io.hostrail.audit.model.AuditQuery;
import io.hostrail.audit.model.AuditRecord;
import io.hostrail.audit.model.ChainVerification;
import io.hostrail.audit.port.out.AuditLog;
import io.hostrail.shared.model.RequestMetadata;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records privileged actions and proves the record intact. {@link #record} joins the caller's unit of
 * work, so an action is audited exactly when it commits.
 */
public final class AuditTrail {

    /** Verification reads the chain this many records at a time. */
    static final int PAGE = 1_000;

    /** The verification outcome, with the head it was compared against. */
    public record Verification(ChainVerification result, long headSequence) {
    }

    private final AuditLog log;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    public AuditTrail(AuditLog log, UnitOfWork unitOfWork, Clock clock) {
        this.log = log;
        this.unitOfWork = unitOfWork;
        this.clock = clock;
    }

    public Mono<AuditRecord> record(TenantId tenant, Actor actor, String action, String targetType, String targetId,
            Map<String, String> before, Map<String, String> after) {
        return Mono.deferContextual(context -> {
            RequestMetadata request = RequestMetadata.find(context).orElse(null);
            return log.append(new AuditEntry(tenant.value(), actor, action, targetType, targetId, before, after,
                    clock.instant(), request == null ? null : request.ip(), request == null ? null : request.requestId()));
        });
    }

    public Flux<AuditRecord> search(AuditQuery query) {
        return unitOfWork.inTransactionMany(() -> log.search(query));
    }

    /**
     * Walks the whole chain page by page and compares its end with the stored head, so a record altered,
     * removed, reordered, or cut from the end is found, and the first broken link named.
     */
    public Mono<Verification> verify(TenantId tenant) {
        return unitOfWork.inTransaction(() -> log.head(tenant.value())
                .defaultIfEmpty(new AuditLog.ChainHead(0, AuditChain.GENESIS_HASH))
                .flatMap(head -> verifyFrom(tenant, AuditChain.GENESIS_HASH, 1)
                        .map(result -> new Verification(againstHead(result, head), head.sequence()))));
    }

    private Mono<ChainVerification> verifyFrom(TenantId tenant, String previousHash, long fromSequence) {
        return log.read(tenant.value(), fromSequence, PAGE).collectList().flatMap(page -> {
            ChainVerification result = AuditChain.verify(page, previousHash, fromSequence);
            if (result instanceof ChainVerification.Intact intact && page.size() == PAGE) {
                return verifyFrom(tenant, intact.lastHash(), fromSequence + PAGE)
                        .map(rest -> rest instanceof ChainVerification.Intact more
                                ? new ChainVerification.Intact(intact.count() + more.count(), more.lastHash())
                                : rest);
            }
            return Mono.just(result);
        });
    }

    private static ChainVerification againstHead(ChainVerification result, AuditLog.ChainHead head) {
        if (result instanceof ChainVerification.Intact intact
                && (intact.count() != head.sequence() || !intact.lastHash().equals(head.hash()))) {
            return new ChainVerification.Broken(intact.count() + 1, null,
                    ChainVerification.Broken.MISSING_RECORDS + ": the chain ends at " + intact.count()
                            + " but its head is at " + head.sequence());
        }
        return result;
    }

}
