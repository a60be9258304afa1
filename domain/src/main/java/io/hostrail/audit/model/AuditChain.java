package io.hostrail.audit.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Hash-chains a tenant's audit records: each record's hash covers its sequence, its entry and the
 * hash of the record before it, so altering, removing, inserting or reordering a stored record breaks
 * the chain at that point.
 *
 * <p>The hash is SHA-256 over the UTF-8 bytes of {@link #canonicalForm}. That form is part of every
 * stored chain: changing it invalidates them all, so a new form needs a new {@link #FORMAT} tag.
 */
public final class AuditChain {

    /** The previous hash of a tenant's first record. */
    public static final String GENESIS_HASH = "0".repeat(64);

    /** The first field of every canonical form, naming its layout. */
    public static final String FORMAT = "hostrail.audit.v1";

    private static final DateTimeFormatter UTC_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditChain() {
    }

    /**
     * The exact text that is hashed. Fields in a fixed order, each written so that none can bleed into
     * the next:
     * <ul>
     *   <li>a string as {@code <n>:<value>;}, where n is the UTF-8 byte length of the value;</li>
     *   <li>null as {@code -;}, so it never reads as the empty string {@code 0:;};</li>
     *   <li>a map as <code>{&lt;entries&gt;:</code>, then each key and value as strings, keys in
     *       {@link String#compareTo} order, then <code>};</code>.</li>
     * </ul>
     * The fields: {@link #FORMAT}, sequence (decimal), tenant id, actor kind, actor id, actor display,
     * action, target type, target id, before, after, occurred-at (ISO-8601 UTC, nine fraction
     * digits), ip, request id, previous hash. UUIDs are written lower case.
     */
    public static String canonicalForm(long sequence, AuditEntry entry, String previousHash) {
        requireSequence(sequence);
        Objects.requireNonNull(entry, "entry");
        AuditRecord.requireSha256Hex(previousHash, "previousHash");
        StringBuilder out = new StringBuilder(256);
        string(out, FORMAT);
        string(out, Long.toString(sequence));
        string(out, uuid(entry.tenantId()));
        string(out, entry.actor().kind().name());
        string(out, uuid(entry.actor().id()));
        string(out, entry.actor().display());
        string(out, entry.action());
        string(out, entry.targetType());
        string(out, entry.targetId());
        map(out, entry.before());
        map(out, entry.after());
        string(out, instant(entry.occurredAt()));
        string(out, entry.ip());
        string(out, entry.requestId());
        string(out, previousHash);
        return out.toString();
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@link #canonicalForm}. */
    public static String hash(long sequence, AuditEntry entry, String previousHash) {
        byte[] canonical = canonicalForm(sequence, entry, previousHash).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(sha256().digest(canonical));
    }

    /**
     * The record that follows {@code previousOrNull} in its tenant's chain; with null, the tenant's first
     * record. The caller must hold the tenant's chain head while appending, or two appends could both
     * follow the same record.
     */
    public static AuditRecord append(UUID id, AuditRecord previousOrNull, AuditEntry entry) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(entry, "entry");
        if (previousOrNull == null) {
            return new AuditRecord(id, 1, entry, GENESIS_HASH, hash(1, entry, GENESIS_HASH));
        }
        if (!previousOrNull.tenantId().equals(entry.tenantId())) {
            throw new IllegalArgumentException("cannot append an entry of tenant " + entry.tenantId()
                    + " to the chain of tenant " + previousOrNull.tenantId());
        }
        long sequence = Math.addExact(previousOrNull.sequence(), 1);
        String previousHash = previousOrNull.hash();
        return new AuditRecord(id, sequence, entry, previousHash, hash(sequence, entry, previousHash));
    }

    /** Verifies a tenant's whole chain, from its first record. */
    public static ChainVerification verify(List<AuditRecord> recordsInSequenceOrder) {
        return verify(recordsInSequenceOrder, GENESIS_HASH, 1);
    }

    /**
     * Verifies a run of one tenant's records that should start at {@code expectedStartSequence} and
     * link to {@code expectedStartHash} (the genesis hash and 1 for a chain's start; the previous
     * page's {@link ChainVerification.Intact#lastHash()} and next sequence otherwise). Reports the
     * first record that belongs to another tenant than the run's first record, that does not link to
     * the record before it, whose sequence is not the next one, or whose content does not match its
     * hash, checked in that order.
     */
    public static ChainVerification verify(
            List<AuditRecord> recordsInSequenceOrder, String expectedStartHash, long expectedStartSequence) {
        Objects.requireNonNull(recordsInSequenceOrder, "records");
        AuditRecord.requireSha256Hex(expectedStartHash, "expectedStartHash");
        requireSequence(expectedStartSequence);
        String expectedPreviousHash = expectedStartHash;
        long expectedSequence = expectedStartSequence;
        UUID tenant = null;
        for (AuditRecord record : recordsInSequenceOrder) {
            Objects.requireNonNull(record, "records must not contain null");
            if (tenant == null) {
                tenant = record.tenantId();
            }
            ChainVerification.Broken broken = firstBreak(record, tenant, expectedPreviousHash, expectedSequence);
            if (broken != null) {
                return broken;
            }
            expectedPreviousHash = record.hash();
            expectedSequence = Math.addExact(expectedSequence, 1);
        }
        return new ChainVerification.Intact(expectedSequence - expectedStartSequence, expectedPreviousHash);
    }

    private static ChainVerification.Broken firstBreak(
            AuditRecord record, UUID tenant, String expectedPreviousHash, long expectedSequence) {
        if (!record.tenantId().equals(tenant)) {
            return broken(record, ChainVerification.Broken.TENANT_MISMATCH
                    + ": record belongs to tenant " + record.tenantId() + ", the chain to tenant " + tenant);
        }
        if (!record.previousHash().equals(expectedPreviousHash)) {
            return broken(record, ChainVerification.Broken.PREVIOUS_HASH_MISMATCH
                    + ": record does not link to the one before it (a record was removed, inserted or reordered)");
        }
        if (record.sequence() != expectedSequence) {
            return broken(record, ChainVerification.Broken.SEQUENCE_GAP
                    + ": expected sequence " + expectedSequence + ", found " + record.sequence());
        }
        if (!hash(record.sequence(), record.entry(), record.previousHash()).equals(record.hash())) {
            return broken(record, ChainVerification.Broken.HASH_MISMATCH
                    + ": record content does not match its hash (the record was altered)");
        }
        return null;
    }

    private static ChainVerification.Broken broken(AuditRecord record, String reason) {
        return new ChainVerification.Broken(record.sequence(), record.id(), reason);
    }

    private static void requireSequence(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("audit sequence starts at 1, got " + sequence);
        }
    }

    private static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("-;");
            return;
        }
        out.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value).append(';');
    }

    private static void map(StringBuilder out, Map<String, String> attributes) {
        out.append('{').append(attributes.size()).append(':');
        attributes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(attribute -> {
                    string(out, attribute.getKey());
                    string(out, attribute.getValue());
                });
        out.append("};");
    }

    private static String uuid(UUID value) {
        return value == null ? null : value.toString();
    }

    private static String instant(Instant value) {
        return UTC_NANOS.format(value);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
