package io.hostrail.audit.model;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One stored link of a tenant's audit chain: the entry, its place in the chain ({@code sequence},
 * 1 for the first record of a tenant), the hash of the record before it ({@link AuditChain#GENESIS_HASH}
 * for the first) and its own hash. Build new ones with {@link AuditChain#append}; the constructor only
 * checks shape, because a record read back from storage may have been tampered with and it is
 * {@link AuditChain#verify} that says so.
 */
public record AuditRecord(UUID id, long sequence, AuditEntry entry, String previousHash, String hash) {

    private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");

    public AuditRecord {
        Objects.requireNonNull(id, "id");
        if (sequence < 1) {
            throw new IllegalArgumentException("audit sequence starts at 1, got " + sequence);
        }
        Objects.requireNonNull(entry, "entry");
        requireSha256Hex(previousHash, "previousHash");
        requireSha256Hex(hash, "hash");
    }

    public UUID tenantId() {
        return entry.tenantId();
    }

    static String requireSha256Hex(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!SHA_256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not 64 lower-case hex digits");
        }
        return value;
    }
}
