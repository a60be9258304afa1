package io.hostrail.identity.model;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpSecretTest {

    @Test
    void generatesA160BitSecret() {
        TotpSecret secret = TotpSecret.generate(new SecureRandom());

        assertThat(secret.bytes()).hasSize(20);
        assertThat(secret.base32()).hasSize(32).matches("[A-Z2-7]{32}");
    }

    @Test
    void generatesADifferentSecretEachTime() {
        SecureRandom random = new SecureRandom();
        Set<TotpSecret> secrets = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            secrets.add(TotpSecret.generate(random));
        }

        assertThat(secrets).hasSize(100);
    }

    @Test
    void takesItsBytesFromTheGivenGenerator() {
        TotpSecret first = TotpSecret.generate(new SplittableRandom(7));
        TotpSecret second = TotpSecret.generate(new SplittableRandom(7));

        assertThat(first).isEqualTo(second);
    }

    @Test
    void roundTripsThroughBase32() {
        TotpSecret secret = TotpSecret.generate(new SecureRandom());

        assertThat(TotpSecret.fromBase32(secret.base32())).isEqualTo(secret);
    }

    @Test
    void readsBase32AsAuthenticatorAppsShowIt() {
        TotpSecret secret = TotpSecret.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");

        assertThat(secret.bytes()).isEqualTo("12345678901234567890".getBytes(US_ASCII));
        assertThat(secret.base32()).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    @Test
    void acceptsPaddedBase32() {
        // 16 bytes encode to 26 characters, padded to 32
        TotpSecret secret = TotpSecret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY======");

        assertThat(secret.bytes()).isEqualTo("1234567890123456".getBytes(US_ASCII));
        assertThat(secret.base32()).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ0", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ8"})
    void refusesBase32WithInvalidCharacters(String text) {
        assertThatThrownBy(() -> TotpSecret.fromBase32(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 15, 65})
    void refusesKeysShorterThan128BitsOrLongerThan512(int length) {
        assertThatThrownBy(() -> new TotpSecret(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 to 64 bytes");
    }

    @Test
    void refusesA16CharacterBase32SecretBecauseItHoldsOnly80Bits() {
        assertThatThrownBy(() -> TotpSecret.fromBase32("JBSWY3DPEHPK3PXP")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsItsOwnCopyOfTheBytes() {
        byte[] bytes = "12345678901234567890".getBytes(US_ASCII);
        TotpSecret secret = new TotpSecret(bytes);

        bytes[0] = 'X';
        secret.bytes()[1] = 'Y';

        assertThat(secret.bytes()).isEqualTo("12345678901234567890".getBytes(US_ASCII));
    }

    @Test
    void isEqualByValue() {
        TotpSecret one = new TotpSecret("12345678901234567890".getBytes(US_ASCII));
        TotpSecret same = new TotpSecret("12345678901234567890".getBytes(US_ASCII));
        TotpSecret other = new TotpSecret("12345678901234567891".getBytes(US_ASCII));

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
    }

    @Test
    void doesNotRevealTheSecretInToString() {
        TotpSecret secret = TotpSecret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

        assertThat(secret.toString())
                .doesNotContain("GEZDGNBV")
                .doesNotContain("1234567890")
                .doesNotContain("49, 50, 51")
                .isEqualTo("TotpSecret[20 bytes, redacted]");
    }
}
