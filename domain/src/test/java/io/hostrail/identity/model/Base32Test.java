package io.hostrail.identity.model;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    /** RFC 4648 section 10, without the padding authenticator apps do not want. */
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource({
        "'',       ''",
        "f,        MY",
        "fo,       MZXQ",
        "foo,      MZXW6",
        "foob,     MZXW6YQ",
        "fooba,    MZXW6YTB",
        "foobar,   MZXW6YTBOI",
    })
    void encodesTheRfc4648TestVectorsInUpperCaseWithoutPadding(String plain, String base32) {
        assertThat(Base32.encode(plain.getBytes(US_ASCII))).isEqualTo(base32);
    }

    @ParameterizedTest(name = "\"{1}\" -> \"{0}\"")
    @CsvSource({
        "'',       ''",
        "f,        MY======",
        "fo,       MZXQ====",
        "foo,      MZXW6===",
        "foob,     MZXW6YQ=",
        "fooba,    MZXW6YTB",
        "foobar,   MZXW6YTBOI======",
    })
    void decodesTheRfc4648TestVectorsWithTheirPadding(String plain, String base32) {
        assertThat(Base32.decode(base32)).isEqualTo(plain.getBytes(US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mzxw6ytboi", "MZXW 6YTB OI", " mzxw6ytb oi== ", "MzXw6YtBoI", "MZXW\t6YTB\nOI"})
    void decodesLowerCaseSpacedAndPaddedTextToTheSameBytes(String text) {
        assertThat(Base32.decode(text)).isEqualTo("foobar".getBytes(US_ASCII));
    }

    @Test
    void roundTripsEveryLengthOfRandomBytes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int length = 0; length <= 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);

            assertThat(Base32.decode(Base32.encode(bytes))).as("length %d", length).isEqualTo(bytes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW0YTB", "MZXW1YTB", "MZXW8YTB", "MZXW9YTB", "MZXW-YTB", "MZXW6YT+", "MZXWÉYTB"})
    void refusesCharactersOutsideTheAlphabet(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside A-Z and 2-7 at position");
    }

    @Test
    void refusesPaddingBeforeTheEnd() {
        assertThatThrownBy(() -> Base32.decode("MZ==XW6Y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"M", "MZX", "MZXW6Y", "MZXW6YTBO"})
    void refusesTextNoByteStringEncodesTo(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void doesNotRepeatTheTextInItsErrors() {
        assertThatThrownBy(() -> Base32.decode("JBSWY3DPEHPK3PX0"))
                .message()
                .doesNotContain("JBSWY3DPEHPK3PX");
    }
}
