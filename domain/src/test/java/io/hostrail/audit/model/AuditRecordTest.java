package io.hostrail.audit.model;

import static io.hostrail.audit.model.AuditFixtures.TENANT;
import static io.hostrail.audit.model.AuditFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditRecordTest {

    private static final UUID ID = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000c1");
    private static final String HASH = "a".repeat(64);

    @Test
    void belongsToItsEntrysTenant() {
        AuditRecord record = new AuditRecord(ID, 1, entry().build(), AuditChain.GENESIS_HASH, HASH);

        assertThat(record.tenantId()).isEqualTo(TENANT);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void refusesASequenceBelowOne(long sequence) {
        assertThatThrownBy(() -> new AuditRecord(ID, sequence, entry().build(), AuditChain.GENESIS_HASH, HASH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence starts at 1");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "abc",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            " aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refusesHashesThatAreNotLowerCaseSha256Hex(String notAHash) {
        assertThatThrownBy(() -> new AuditRecord(ID, 1, entry().build(), notAHash, HASH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previousHash");
        assertThatThrownBy(() -> new AuditRecord(ID, 1, entry().build(), AuditChain.GENESIS_HASH, notAHash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash '" + notAHash + "'");
    }

    @Test
    void refusesMissingParts() {
        assertThatThrownBy(() -> new AuditRecord(null, 1, entry().build(), AuditChain.GENESIS_HASH, HASH))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> new AuditRecord(ID, 1, null, AuditChain.GENESIS_HASH, HASH))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("entry");
        assertThatThrownBy(() -> new AuditRecord(ID, 1, entry().build(), null, HASH))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("previousHash");
        assertThatThrownBy(() -> new AuditRecord(ID, 1, entry().build(), AuditChain.GENESIS_HASH, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("hash");
    }
}
