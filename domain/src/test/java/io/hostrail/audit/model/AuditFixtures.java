package io.hostrail.audit.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Entries and chains for the audit tests, all derived from fixed values so failures reproduce. */
final class AuditFixtures {

    static final UUID TENANT = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000aa");
    static final UUID OTHER_TENANT = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000ab");
    static final UUID STAFF_ID = UUID.fromString("01959a3c-2f4d-7000-8000-000000000001");
    static final Instant START = Instant.parse("2025-03-14T09:26:53.123456Z");

    private AuditFixtures() {
    }

    static Builder entry() {
        return new Builder();
    }

    /** The i-th entry of a chain: actions, targets and attributes vary with i. */
    static AuditEntry entry(UUID tenant, int i) {
        return entry()
                .tenantId(tenant)
                .actor(i % 5 == 0 ? Actor.system("billing-run") : Actor.staffUser(STAFF_ID, "ops@example.com"))
                .action(i % 2 == 0 ? "user.role_changed" : "invoice.refunded")
                .targetType(i % 2 == 0 ? "user" : "invoice")
                .targetId("target-" + i)
                .before(Map.of("role", "support", "step", Integer.toString(i)))
                .after(Map.of("role", "admin", "step", Integer.toString(i + 1)))
                .occurredAt(START.plusSeconds(i))
                .ip("203.0.113." + (i % 250))
                .requestId("req-" + i)
                .build();
    }

    static List<AuditRecord> chain(int length) {
        return chain(TENANT, length);
    }

    static List<AuditRecord> chain(UUID tenant, int length) {
        List<AuditRecord> records = new ArrayList<>(length);
        AuditRecord previous = null;
        for (int i = 1; i <= length; i++) {
            previous = AuditChain.append(recordId(tenant, i), previous, entry(tenant, i));
            records.add(previous);
        }
        return records;
    }

    static UUID recordId(UUID tenant, long sequence) {
        return new UUID(tenant.getMostSignificantBits(), sequence);
    }

    /** The same stored record with a different entry and everything else, hash included, kept. */
    static AuditRecord withEntry(AuditRecord record, AuditEntry entry) {
        return new AuditRecord(record.id(), record.sequence(), entry, record.previousHash(), record.hash());
    }

    static final class Builder {

        private UUID tenantId = TENANT;
        private Actor actor = Actor.staffUser(STAFF_ID, "ops@example.com");
        private String action = "user.role_changed";
        private String targetType = "user";
        private String targetId = "01959a3c-2f4d-7000-8000-0000000000bb";
        private Map<String, String> before = Map.of("role", "support");
        private Map<String, String> after = Map.of("role", "admin");
        private Instant occurredAt = START;
        private String ip = "203.0.113.7";
        private String requestId = "req-42";

        static Builder from(AuditEntry entry) {
            return new Builder().tenantId(entry.tenantId()).actor(entry.actor()).action(entry.action())
                    .targetType(entry.targetType()).targetId(entry.targetId()).before(entry.before())
                    .after(entry.after()).occurredAt(entry.occurredAt()).ip(entry.ip()).requestId(entry.requestId());
        }

        Builder tenantId(UUID value) {
            tenantId = value;
            return this;
        }

        Builder actor(Actor value) {
            actor = value;
            return this;
        }

        Builder action(String value) {
            action = value;
            return this;
        }

        Builder targetType(String value) {
            targetType = value;
            return this;
        }

        Builder targetId(String value) {
            targetId = value;
            return this;
        }

        Builder before(Map<String, String> value) {
            before = value;
            return this;
        }

        Builder after(Map<String, String> value) {
            after = value;
            return this;
        }

        Builder occurredAt(Instant value) {
            occurredAt = value;
            return this;
        }

        Builder ip(String value) {
            ip = value;
            return this;
        }

        Builder requestId(String value) {
            requestId = value;
            return this;
        }

        AuditEntry build() {
            return new AuditEntry(tenantId, actor, action, targetType, targetId, before, after, occurredAt, ip, requestId);
        }
    }
}
