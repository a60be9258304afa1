package io.hostrail.adapters.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MasterKeysTest {

    /** Planted so every test can check that neither messages nor toString ever quote a key. */
    private static final byte[] OLD_KEY = filled(32, 0x11);
    private static final byte[] NEW_KEY = filled(32, 0x7e);
    private static final String OLD_KEY_TEXT = Base64.getEncoder().encodeToString(OLD_KEY);
    private static final String NEW_KEY_TEXT = Base64.getEncoder().encodeToString(NEW_KEY);

    @Test
    void parsesIdsAndKeys() {
        MasterKeys keys = MasterKeys.parse(" old:" + OLD_KEY_TEXT + " , new:" + NEW_KEY_TEXT + " ", "new");

        assertThat(keys.activeKeyId()).isEqualTo("new");
        assertThat(keys.keys()).containsOnlyKeys("old", "new");
        assertThat(keys.key("old")).isEqualTo(OLD_KEY);
        assertThat(keys.key("new")).isEqualTo(NEW_KEY);
    }

    @Test
    @DisplayName("keys may be standard or URL-safe base64, padded or not")
    void acceptsEitherBase64Alphabet() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0xfb); // encodes to '+' and '/' in standard base64, '-' and '_' in URL-safe
        String standard = Base64.getEncoder().encodeToString(key);
        String urlSafeUnpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        assertThat(standard).contains("+", "/");
        assertThat(urlSafeUnpadded).contains("-", "_");

        assertThat(MasterKeys.parse("k1:" + standard, "k1").key("k1")).isEqualTo(key);
        assertThat(MasterKeys.parse("k1:" + urlSafeUnpadded, "k1").key("k1")).isEqualTo(key);
    }

    @Test
    void aKeyThatIsNot256BitsIsRefusedByIdWithoutQuotingIt() {
        String shortKey = Base64.getEncoder().encodeToString(filled(16, 0x42));

        assertThatThrownBy(() -> MasterKeys.parse("old:" + OLD_KEY_TEXT + ",k2:" + shortKey, "old"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k2'").hasMessageContaining("32 bytes").hasMessageContaining("16 bytes")
                .message().doesNotContain(shortKey, OLD_KEY_TEXT);
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedByIdWithoutQuotingIt() {
        String garbled = "@" + NEW_KEY_TEXT.substring(1);

        assertThatThrownBy(() -> MasterKeys.parse("k1:" + garbled, "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k1'").hasMessageContaining("base64")
                .hasNoCause()
                .message().doesNotContain(garbled, NEW_KEY_TEXT.substring(1, 12));
    }

    @Test
    @DisplayName("a malformed id is refused without being echoed: it may be a key pasted in the wrong place")
    void badIdsAreRefused() {
        for (String badId : new String[] {"K1", "-k1", "k_1", "a".repeat(33), "", OLD_KEY_TEXT}) {
            assertThatThrownBy(() -> MasterKeys.parse(badId + ":" + NEW_KEY_TEXT, "k1"))
                    .as("id %s", badId)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("entry 1")
                    .message().doesNotContain(NEW_KEY_TEXT, OLD_KEY_TEXT);
        }
        assertThatThrownBy(() -> new MasterKeys(Map.of("Not-Valid", NEW_KEY), "Not-Valid"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }

    @Test
    void anEntryWithoutAnIdIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> MasterKeys.parse("k1:" + OLD_KEY_TEXT + "," + NEW_KEY_TEXT, "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 2").hasMessageContaining("id:base64key")
                .message().doesNotContain(NEW_KEY_TEXT, OLD_KEY_TEXT);
        assertThatThrownBy(() -> MasterKeys.parse("", "k1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry 1");
    }

    @Test
    void theActiveKeyMustBeConfigured() {
        assertThatThrownBy(() -> MasterKeys.parse("old:" + OLD_KEY_TEXT + ",new:" + NEW_KEY_TEXT, "newer"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'newer'").hasMessageContaining("[new, old]")
                .message().doesNotContain(OLD_KEY_TEXT, NEW_KEY_TEXT);
    }

    @Test
    void anIdListedTwiceIsRefused() {
        assertThatThrownBy(() -> MasterKeys.parse("k1:" + OLD_KEY_TEXT + ",k1:" + NEW_KEY_TEXT, "k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k1' is listed twice")
                .message().doesNotContain(OLD_KEY_TEXT, NEW_KEY_TEXT);
    }

    @Test
    void atLeastOneKey() {
        assertThatThrownBy(() -> new MasterKeys(Map.of(), "k1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNamesIdsButNeverKeys() {
        MasterKeys keys = MasterKeys.parse("old:" + OLD_KEY_TEXT + ",new:" + NEW_KEY_TEXT, "new");

        assertThat(keys.toString())
                .isEqualTo("MasterKeys[keyIds=[new, old], activeKeyId=new]")
                .doesNotContain(OLD_KEY_TEXT, NEW_KEY_TEXT);
    }

    @Test
    @DisplayName("the keys are copied in and out: changing an array afterwards changes nothing")
    void defensiveCopies() {
        byte[] key = OLD_KEY.clone();
        Map<String, byte[]> given = new HashMap<>(Map.of("k1", key));
        MasterKeys keys = new MasterKeys(given, "k1");

        key[0] ^= 1;
        given.put("k2", NEW_KEY);
        keys.keys().get("k1")[1] ^= 1;
        keys.key("k1")[2] ^= 1;

        assertThat(keys.key("k1")).isEqualTo(OLD_KEY);
        assertThat(keys.keys()).containsOnlyKeys("k1");
    }

    @Test
    void equalWhenTheSameKeysAreActive() {
        MasterKeys keys = MasterKeys.parse("old:" + OLD_KEY_TEXT + ",new:" + NEW_KEY_TEXT, "new");

        assertThat(keys).isEqualTo(new MasterKeys(Map.of("old", OLD_KEY.clone(), "new", NEW_KEY.clone()), "new"))
                .hasSameHashCodeAs(new MasterKeys(Map.of("old", OLD_KEY.clone(), "new", NEW_KEY.clone()), "new"));
        assertThat(keys).isNotEqualTo(new MasterKeys(Map.of("old", OLD_KEY, "new", NEW_KEY), "old"));
        assertThat(keys).isNotEqualTo(new MasterKeys(Map.of("old", NEW_KEY, "new", NEW_KEY), "new"));
    }

    @Test
    void generatesFreshUsableKeys() {
        String first = MasterKeys.generateKey();
        String second = MasterKeys.generateKey();

        assertThat(Base64.getDecoder().decode(first)).hasSize(32);
        assertThat(first).isNotEqualTo(second);
        assertThat(MasterKeys.parse("k1:" + first, "k1").key("k1")).isEqualTo(Base64.getDecoder().decode(first));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
