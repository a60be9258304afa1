package io.hostrail.audit.model;

import static io.hostrail.audit.model.AuditFixtures.OTHER_TENANT;
import static io.hostrail.audit.model.AuditFixtures.TENANT;
import static io.hostrail.audit.model.AuditFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditChainAppendTest {

    private static final UUID FIRST_ID = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000c1");
    private static final UUID SECOND_ID = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000c2");

    @Test
    void theFirstRecordOfATenantIsSequenceOneAndLinksToSixtyFourZeros() {
        AuditEntry entry = entry().build();

        AuditRecord first = AuditChain.append(FIRST_ID, null, entry);

        assertThat(first.id()).isEqualTo(FIRST_ID);
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.entry()).isEqualTo(entry);
        assertThat(first.previousHash()).isEqualTo("0".repeat(64)).isEqualTo(AuditChain.GENESIS_HASH);
        assertThat(first.hash()).isEqualTo(AuditChain.hash(1, entry, AuditChain.GENESIS_HASH));
    }

    @Test
    void eachRecordFollowsTheOneBeforeIt() {
        AuditRecord first = AuditChain.append(FIRST_ID, null, AuditFixtures.entry(TENANT, 1));
        AuditEntry entry = AuditFixtures.entry(TENANT, 2);

        AuditRecord second = AuditChain.append(SECOND_ID, first, entry);

        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.previousHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isEqualTo(AuditChain.hash(2, entry, first.hash())).isNotEqualTo(first.hash());
    }

    @Test
    void theSameEntryAtAnotherPlaceInTheChainGetsAnotherHash() {
        AuditEntry entry = entry().build();
        AuditRecord first = AuditChain.append(FIRST_ID, null, entry);

        AuditRecord repeated = AuditChain.append(SECOND_ID, first, entry);

        assertThat(repeated.hash()).isNotEqualTo(first.hash());
    }

    @Test
    void buildsAValidChainOfAHundredRecords() {
        List<AuditRecord> chain = AuditFixtures.chain(100);

        assertThat(chain).extracting(AuditRecord::sequence).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(AuditChain.verify(chain)).isEqualTo(new ChainVerification.Intact(100, chain.get(99).hash()));
    }

    @Test
    void refusesToAppendAnotherTenantsEntry() {
        AuditRecord first = AuditChain.append(FIRST_ID, null, entry().build());
        AuditEntry othersEntry = entry().tenantId(OTHER_TENANT).build();

        assertThatThrownBy(() -> AuditChain.append(SECOND_ID, first, othersEntry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OTHER_TENANT.toString())
                .hasMessageContaining(TENANT.toString());
    }

    @Test
    void refusesAMissingIdOrEntry() {
        assertThatThrownBy(() -> AuditChain.append(null, null, entry().build()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> AuditChain.append(FIRST_ID, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("entry");
    }
}
