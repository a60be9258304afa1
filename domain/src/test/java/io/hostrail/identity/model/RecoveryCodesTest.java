package io.hostrail.identity.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodesTest {

    private static final String FORMAT = "[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}";

    private final SecureRandom random = new SecureRandom();

    @Test
    void generatesTenCodesByDefault() {
        assertThat(RecoveryCodes.generate(random)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void generatesTheRequestedNumberOfCodes() {
        assertThat(RecoveryCodes.generate(random, 1)).hasSize(1);
        assertThat(RecoveryCodes.generate(random, 16)).hasSize(16).doesNotHaveDuplicates();
    }

    @Test
    void generatesAThousandUniqueCodesInTheFormatTwoGroupsOfFiveLowerCaseCharacters() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            codes.addAll(RecoveryCodes.generate(random, 10));
        }

        assertThat(codes).hasSize(1_000).allMatch(code -> code.matches(FORMAT));
        assertThat(codes).allMatch(code -> RecoveryCodes.DISPLAY_FORMAT.matcher(code).matches());
    }

    @Test
    void neverUsesTheLookAlikeCharacters() {
        List<String> codes = RecoveryCodes.generate(random, RecoveryCodes.MAX_COUNT);

        assertThat(String.join("", codes)).doesNotContain("0", "o", "1", "i", "l", "O", "I", "L");
    }

    @Test
    void usesEveryCharacterOfTheAlphabet() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            RecoveryCodes.generate(random, RecoveryCodes.MAX_COUNT)
                    .forEach(code -> code.replace("-", "").chars().forEach(seen::add));
        }

        assertThat(seen).hasSize(31);
        assertThat(RecoveryCodes.ALPHABET).hasSize(31);
    }

    @Test
    void takesItsRandomnessFromTheGivenGenerator() {
        assertThat(RecoveryCodes.generate(new SplittableRandom(3))).isEqualTo(RecoveryCodes.generate(new SplittableRandom(3)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 101})
    void refusesCountsOutsideOneToAHundred(int count) {
        assertThatThrownBy(() -> RecoveryCodes.generate(random, count))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 100");
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "ABCDE-fghij |abcdefghij",
        "abcde-fghij|abcdefghij",
        "  abcde fghij|abcdefghij",
        "AB-CD-EF-GH-IJ|abcdefghij",
        "abcde--fghij|abcdefghij",
        "abcde\tfghij|abcdefghij",
    })
    void normalizesLooselyTypedCodes(String typed, String normalized) {
        assertThat(RecoveryCodes.normalize(typed)).isEqualTo(normalized);
    }

    @Test
    void normalizesAsSpecified() {
        assertThat(RecoveryCodes.normalize("ABCDE-fghij ")).isEqualTo("abcdefghij");
    }

    @Test
    void normalizesIndependentlyOfTheDefaultLocale() {
        // In a Turkish locale "I".toLowerCase() is a dotless ı
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(RecoveryCodes.normalize("ABCDE-FGHIJ")).isEqualTo("abcdefghij");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @Test
    void normalizesEveryGeneratedCodeToItsCharactersWithoutTheDash() {
        for (String code : RecoveryCodes.generate(random)) {
            String normalized = RecoveryCodes.normalize(code.toUpperCase());

            assertThat(normalized).isEqualTo(code.replace("-", ""));
            assertThat(RecoveryCodes.isWellFormed(normalized)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcdefghi", "abcdefghjkm", "abcdefgh0k", "abcdefghik", "abcde-fghjk", "ABCDEFGHJK"})
    void recognisesNormalizedInputThatCannotBeACode(String normalized) {
        assertThat(RecoveryCodes.isWellFormed(normalized)).isFalse();
    }
}
