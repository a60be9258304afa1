package io.hostrail.audit.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a use case asks the audit log to record about one privileged action: who did what to which
 * target in which tenant, the target's relevant attributes before and after, and where the request
 * came from. {@link AuditChain} turns it into a hash-chained {@link AuditRecord}.
 *
 * <p>{@code occurredAt} is kept to the microsecond, the precision of PostgreSQL {@code timestamptz}:
 * a record read back must hash exactly as it did when it was written.
 *
 * @param action     dotted lower snake case naming the target and what happened to it, e.g.
 *                   {@code user.role_changed}, {@code api_key.created}, {@code auth.login_succeeded}
 * @param targetType lower snake case kind of thing acted on, e.g. {@code user}, {@code invoice}
 * @param targetId   the acted-on thing's id, or null when there is none (a failed login)
 * @param before     attributes of the target before the action; null means none
 * @param after      attributes of the target after the action; null means none
 * @param ip         the client address as the request presented it, or null (system actions)
 * @param requestId  the request's id, or null (system actions)
 */
public record AuditEntry(
        UUID tenantId,
        Actor actor,
        String action,
        String targetType,
        String targetId,
        Map<String, String> before,
        Map<String, String> after,
        Instant occurredAt,
        String ip,
        String requestId) {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Pattern TARGET_TYPE = Pattern.compile("[a-z][a-z0-9_]*");

    public AuditEntry {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        if (!isValidAction(action)) {
            throw new IllegalArgumentException(
                    "audit action '" + action + "' is not dotted lower snake case such as 'user.role_changed'");
        }
        Objects.requireNonNull(targetType, "targetType");
        if (!TARGET_TYPE.matcher(targetType).matches()) {
            throw new IllegalArgumentException(
                    "audit target type '" + targetType + "' is not lower snake case such as 'api_key'");
        }
        AuditText.requireStorableOrNull(targetId, "targetId");
        before = sortedCopy(before, "before");
        after = sortedCopy(after, "after");
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
        AuditText.requireStorableOrNull(ip, "ip");
        AuditText.requireStorableOrNull(requestId, "requestId");
    }

    public static boolean isValidAction(String action) {
        return action != null && ACTION.matcher(action).matches();
    }

    private static Map<String, String> sortedCopy(Map<String, String> attributes, String which) {
        if (attributes == null) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String key = attribute.getKey();
            if (key == null) {
                throw new NullPointerException(which + " has a null key");
            }
            if (attribute.getValue() == null) {
                throw new NullPointerException(which + " has a null value for '" + key + "'");
            }
            copy.put(AuditText.requireStorable(key, which + " key"),
                    AuditText.requireStorable(attribute.getValue(), which + " value of '" + key + "'"));
        }
        return Collections.unmodifiableMap(copy);
    }
}
