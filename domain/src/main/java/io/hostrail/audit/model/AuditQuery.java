package io.hostrail.audit.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A search of one tenant's audit trail, newest first. Every filter is optional; {@code beforeSequence}
 * is the cursor (records older than it).
 */
public record AuditQuery(UUID tenantId, String action, UUID actorId, String targetType, String targetId,
        Instant from, Instant to, Long beforeSequence, int limit) {

    public AuditQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500");
        }
    }
}
