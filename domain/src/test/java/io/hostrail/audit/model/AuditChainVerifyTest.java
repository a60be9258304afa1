package io.hostrail.audit.model;

import static io.hostrail.audit.model.AuditFixtures.OTHER_TENANT;
import static io.hostrail.audit.model.AuditFixtures.STAFF_ID;
import static io.hostrail.audit.model.AuditFixtures.TENANT;
import static io.hostrail.audit.model.AuditFixtures.chain;
import static io.hostrail.audit.model.AuditFixtures.withEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.audit.model.AuditFixtures.Builder;
import io.hostrail.audit.model.ChainVerification.Broken;
import io.hostrail.audit.model.ChainVerification.Intact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuditChainVerifyTest {

    private static final int LENGTH = 100;

    @Test
    void findsAnUntouchedChainIntact() {
        List<AuditRecord> chain = chain(LENGTH);

        ChainVerification result = AuditChain.verify(chain, AuditChain.GENESIS_HASH, 1);

        assertThat(result).isEqualTo(new Intact(100, chain.get(99).hash()));
    }

    @Test
    void verifyingFromGenesisIsVerifyingFromSequenceOneAndSixtyFourZeros() {
        List<AuditRecord> chain = chain(LENGTH);

        assertThat(AuditChain.verify(chain)).isEqualTo(AuditChain.verify(chain, "0".repeat(64), 1));
    }

    @Test
    void findsNoRecordsIntactAndHandsTheStartHashBack() {
        String start = "ab".repeat(32);

        assertThat(AuditChain.verify(List.of(), start, 501)).isEqualTo(new Intact(0, start));
    }

    static Stream<Arguments> alterations() {
        return Stream.of(
                alteration("actor kind", b -> b.actor(Actor.clientUser(STAFF_ID, "ops@example.com"))),
                alteration("actor id", b -> b.actor(Actor.staffUser(UUID.fromString("01959a3c-2f4d-7000-8000-000000000002"), "ops@example.com"))),
                alteration("actor display", b -> b.actor(Actor.staffUser(STAFF_ID, "intruder@example.com"))),
                alteration("actor to system", b -> b.actor(Actor.system("ops@example.com"))),
                alteration("action", b -> b.action("user.deleted")),
                alteration("target type", b -> b.targetType("api_key")),
                alteration("target id", b -> b.targetId("someone-else")),
                alteration("target id removed", b -> b.targetId(null)),
                alteration("before value", b -> b.before(Map.of("role", "admin"))),
                alteration("after value", b -> b.after(Map.of("role", "support"))),
                alteration("after attribute added", b -> b.after(Map.of("role", "admin", "mfa", "off"))),
                alteration("before attributes emptied", b -> b.before(Map.of())),
                alteration("time by a microsecond", b -> b.occurredAt(b.build().occurredAt().plus(Duration.ofNanos(1_000)))),
                alteration("time by a day", b -> b.occurredAt(b.build().occurredAt().minus(Duration.ofDays(1)))),
                alteration("ip", b -> b.ip("198.51.100.1")),
                alteration("ip removed", b -> b.ip(null)),
                alteration("request id", b -> b.requestId("req-forged")),
                alteration("request id emptied", b -> b.requestId("")));
    }

    static Stream<Arguments> alterationsAtPositions() {
        return alterations().flatMap(alteration -> Stream.of(1, 2, 50, 100)
                .map(sequence -> Arguments.of(alteration.get()[0], alteration.get()[1], sequence)));
    }

    @ParameterizedTest(name = "{0} of record {2}")
    @MethodSource("alterationsAtPositions")
    void detectsAnAlteredFieldAtExactlyThatRecord(String field, UnaryOperator<Builder> alter, int sequence) {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord original = chain.get(sequence - 1);
        AuditEntry altered = alter.apply(Builder.from(original.entry())).build();
        assertThat(altered).as("the alteration changes something").isNotEqualTo(original.entry());
        chain.set(sequence - 1, withEntry(original, altered));

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(sequence);
            assertThat(broken.recordId()).isEqualTo(original.id());
            assertThat(broken.reason()).startsWith(Broken.HASH_MISMATCH);
        });
    }

    @ParameterizedTest(name = "{0} of record 50")
    @MethodSource("alterations")
    void detectsAnAlteredAndRehashedRecordAtTheRecordAfterIt(String field, UnaryOperator<Builder> alter) {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord original = chain.get(49);
        AuditEntry altered = alter.apply(Builder.from(original.entry())).build();
        chain.set(49, new AuditRecord(original.id(), 50, altered, original.previousHash(),
                AuditChain.hash(50, altered, original.previousHash())));

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(51);
            assertThat(broken.recordId()).isEqualTo(chain.get(50).id());
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 50, 100})
    void detectsARecordMovedToAnotherTenantAsATenantMismatch(int sequence) {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord original = chain.get(sequence - 1);
        chain.set(sequence - 1, withEntry(original, Builder.from(original.entry()).tenantId(OTHER_TENANT).build()));

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(sequence);
            assertThat(broken.recordId()).isEqualTo(original.id());
            assertThat(broken.reason()).startsWith(Broken.TENANT_MISMATCH).contains(OTHER_TENANT.toString());
        });
    }

    @Test
    void detectsTheFirstRecordMovedToAnotherTenantAsAHashMismatch() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord original = chain.get(0);
        chain.set(0, withEntry(original, Builder.from(original.entry()).tenantId(OTHER_TENANT).build()));

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(1);
            assertThat(broken.recordId()).isEqualTo(original.id());
            assertThat(broken.reason()).startsWith(Broken.HASH_MISMATCH);
        });
    }

    @Test
    void detectsAnotherTenantsRecordSlippedIntoTheChain() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord foreign = chain(OTHER_TENANT, 60).get(59);
        chain.add(59, foreign);

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(60);
            assertThat(broken.recordId()).isEqualTo(foreign.id());
            assertThat(broken.reason()).startsWith(Broken.TENANT_MISMATCH);
        });
    }

    @Test
    void detectsAnAlteredSequenceNumberAsAGap() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord original = chain.get(49);
        chain.set(49, new AuditRecord(original.id(), 51, original.entry(), original.previousHash(), original.hash()));

        assertThat(AuditChain.verify(chain)).isEqualTo(
                new Broken(51, original.id(), Broken.SEQUENCE_GAP + ": expected sequence 50, found 51"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 50, 99})
    void detectsADeletedRecordAtTheRecordAfterIt(int deleted) {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        chain.remove(deleted - 1);
        AuditRecord next = chain.get(deleted - 1);

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(deleted + 1);
            assertThat(broken.recordId()).isEqualTo(next.id());
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    /** A chain alone cannot show that its newest records are gone; the caller compares with the chain head. */
    @Test
    void findsAChainWithItsNewestRecordsRemovedIntactButShorter() {
        List<AuditRecord> chain = chain(LENGTH);

        assertThat(AuditChain.verify(chain.subList(0, 97))).isEqualTo(new Intact(97, chain.get(96).hash()));
    }

    @ParameterizedTest(name = "records {0} and {1}")
    @MethodSource("swaps")
    void detectsTwoSwappedRecordsAtTheFirstOneOutOfPlace(int one, int other) {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        Collections.swap(chain, one - 1, other - 1);

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(other);
            assertThat(broken.recordId()).isEqualTo(chain.get(one - 1).id());
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    static Stream<Arguments> swaps() {
        return Stream.of(Arguments.of(1, 2), Arguments.of(50, 51), Arguments.of(10, 90), Arguments.of(99, 100));
    }

    @Test
    void detectsTwoRecordsThatSwappedSequenceNumbersAtTheFirstOfThem() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord fiftieth = chain.get(49);
        AuditRecord fiftyFirst = chain.get(50);
        chain.set(49, new AuditRecord(fiftyFirst.id(), 50, fiftyFirst.entry(), fiftyFirst.previousHash(), fiftyFirst.hash()));
        chain.set(50, new AuditRecord(fiftieth.id(), 51, fiftieth.entry(), fiftieth.previousHash(), fiftieth.hash()));

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(50);
            assertThat(broken.recordId()).isEqualTo(fiftyFirst.id());
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    @Test
    void detectsASequenceGapInAnOtherwiseLinkedChain() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH).subList(0, 50));
        AuditRecord last = chain.get(49);
        // Linked and hashed correctly, but numbered 52: what a buggy adapter would store.
        AuditEntry entry = AuditFixtures.entry(TENANT, 51);
        AuditRecord skipping = new AuditRecord(AuditFixtures.recordId(TENANT, 52), 52, entry, last.hash(), AuditChain.hash(52, entry, last.hash()));
        chain.add(skipping);

        assertThat(AuditChain.verify(chain)).isEqualTo(
                new Broken(52, skipping.id(), Broken.SEQUENCE_GAP + ": expected sequence 51, found 52"));
    }

    @Test
    void detectsARecordListedTwice() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        chain.add(50, chain.get(49));

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(50);
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    @Test
    void detectsAForgedRecordInsertedIntoTheChainAtTheRecordAfterIt() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord forged = AuditChain.append(AuditFixtures.recordId(TENANT, 1_000), chain.get(49), AuditFixtures.entry(TENANT, 1_000));
        chain.add(50, forged);
        // The forger renumbers everything after the insertion too, but cannot rehash what follows.
        for (int i = 51; i < chain.size(); i++) {
            AuditRecord shifted = chain.get(i);
            chain.set(i, new AuditRecord(shifted.id(), i + 1, shifted.entry(), shifted.previousHash(), shifted.hash()));
        }

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(52);
            assertThat(broken.recordId()).isEqualTo(chain.get(51).id());
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    @Test
    void reportsOnlyTheFirstBreak() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        chain.set(19, withEntry(chain.get(19), Builder.from(chain.get(19).entry()).ip("198.51.100.1").build()));
        chain.remove(70);

        assertThat(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class,
                broken -> assertThat(broken.sequence()).isEqualTo(20));
    }

    @Test
    void verifyingInThreePagesGivesTheSameResultAsVerifyingTheWholeChain() {
        List<AuditRecord> chain = chain(LENGTH);

        assertThat(verifyInPages(chain, 40)).isEqualTo(AuditChain.verify(chain)).isEqualTo(new Intact(100, chain.get(99).hash()));
    }

    @ParameterizedTest(name = "break at record {0}")
    @ValueSource(ints = {1, 40, 41, 80, 81, 100})
    void verifyingInPagesFindsTheSameBreakAsVerifyingTheWholeChain(int sequence) {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        AuditRecord original = chain.get(sequence - 1);
        chain.set(sequence - 1, withEntry(original, Builder.from(original.entry()).action("user.deleted").build()));

        ChainVerification whole = AuditChain.verify(chain);

        assertThat(whole).isInstanceOf(Broken.class);
        assertThat(verifyInPages(chain, 40)).isEqualTo(whole);
    }

    @Test
    void verifyingInPagesFindsADeletionAtAPageBoundary() {
        List<AuditRecord> chain = new ArrayList<>(chain(LENGTH));
        chain.remove(40); // record 41: the first of the second page

        assertThat(verifyInPages(chain, 40)).isEqualTo(AuditChain.verify(chain)).isInstanceOfSatisfying(Broken.class,
                broken -> assertThat(broken.sequence()).isEqualTo(42));
    }

    @Test
    void aPageThatDoesNotContinueTheHashItWasGivenBreaksAtItsFirstRecord() {
        List<AuditRecord> chain = chain(LENGTH);

        ChainVerification page = AuditChain.verify(chain.subList(40, 80), chain.get(38).hash(), 41);

        assertThat(page).isInstanceOfSatisfying(Broken.class, broken -> {
            assertThat(broken.sequence()).isEqualTo(41);
            assertThat(broken.reason()).startsWith(Broken.PREVIOUS_HASH_MISMATCH);
        });
    }

    @Test
    void aPageThatDoesNotStartAtTheSequenceItWasGivenBreaksAtItsFirstRecord() {
        List<AuditRecord> chain = chain(LENGTH);

        ChainVerification page = AuditChain.verify(chain.subList(40, 80), chain.get(39).hash(), 40);

        assertThat(page).isEqualTo(new Broken(41, chain.get(40).id(), Broken.SEQUENCE_GAP + ": expected sequence 40, found 41"));
    }

    @Test
    void refusesBadStartParametersAndMissingRecords() {
        List<AuditRecord> chain = chain(3);

        assertThatThrownBy(() -> AuditChain.verify(chain, AuditChain.GENESIS_HASH, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence");
        assertThatThrownBy(() -> AuditChain.verify(chain, "not-a-hash", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedStartHash");
        assertThatThrownBy(() -> AuditChain.verify(null, AuditChain.GENESIS_HASH, 1))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AuditChain.verify(Arrays.asList(chain.get(0), null), AuditChain.GENESIS_HASH, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("null");
    }

    @Test
    void leavesTheRecordsItVerifiesUntouched() {
        List<AuditRecord> chain = chain(10);
        List<AuditRecord> copy = List.copyOf(chain);

        AuditChain.verify(chain);

        assertThat(chain).isEqualTo(copy);
    }

    /** What the verify endpoint does: a page at a time, carrying the last hash and next sequence over. */
    private static ChainVerification verifyInPages(List<AuditRecord> records, int pageSize) {
        String lastHash = AuditChain.GENESIS_HASH;
        long nextSequence = 1;
        long count = 0;
        for (int from = 0; from < records.size(); from += pageSize) {
            List<AuditRecord> page = records.subList(from, Math.min(records.size(), from + pageSize));
            switch (AuditChain.verify(page, lastHash, nextSequence)) {
                case Broken broken -> {
                    return broken;
                }
                case Intact intact -> {
                    lastHash = intact.lastHash();
                    nextSequence += intact.count();
                    count += intact.count();
                }
            }
        }
        return new Intact(count, lastHash);
    }

    private static Arguments alteration(String field, UnaryOperator<Builder> alter) {
        return Arguments.of(field, Named.of(field, alter));
    }
}
