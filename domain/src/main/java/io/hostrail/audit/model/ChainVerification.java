package io.hostrail.audit.model;

import java.util.Objects;
import java.util.UUID;

/** What {@link AuditChain#verify} found in a run of records: all linked, or the first broken link. */
public sealed interface ChainVerification {

    /**
     * Every record linked and matched its hash. {@code lastHash} is the last record's hash (the start
     * hash when there were none): pass it, with the start sequence plus {@code count}, to verify the
     * next page.
     */
    record Intact(long count, String lastHash) implements ChainVerification {

        public Intact {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, got " + count);
            }
            AuditRecord.requireSha256Hex(lastHash, "lastHash");
        }
    }

    /**
     * The first record that does not link: its own sequence and id, and a reason that starts with one
     * of the stable phrases {@code tenant mismatch}, {@code previous-hash mismatch}, {@code sequence gap}
     * or {@code hash mismatch}.
     */
    record Broken(long sequence, UUID recordId, String reason) implements ChainVerification {

        public static final String TENANT_MISMATCH = "tenant mismatch";
        public static final String PREVIOUS_HASH_MISMATCH = "previous-hash mismatch";
        public static final String SEQUENCE_GAP = "sequence gap";
        public static final String HASH_MISMATCH = "hash mismatch";
        /** Records were cut from the end of the chain: there is no record to name, so recordId is null. */
        public static final String MISSING_RECORDS = "missing records";

        public Broken {
            Objects.requireNonNull(reason, "reason");
            if (recordId == null && !reason.startsWith(MISSING_RECORDS)) {
                throw new NullPointerException("recordId");
            }
        }
    }
}
