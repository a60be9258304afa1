package io.hostrail.identity.model;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {

    private static final TotpSecret RFC_SHA1_SECRET = ascii("12345678901234567890");
    private static final TotpSecret RFC_SHA256_SECRET = ascii("12345678901234567890123456789012");
    private static final TotpSecret RFC_SHA512_SECRET =
            ascii("1234567890123456789012345678901234567890123456789012345678901234");

    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

    private final Totp totp = new Totp();

    @Nested
    class Rfc6238TestVectors {

        /** RFC 6238 Appendix B: 8 digits, 30-second steps, T0 = 0. */
        @ParameterizedTest(name = "T = {0}: SHA1 {1}, SHA256 {2}, SHA512 {3}")
        @CsvSource({
            "59,          94287082, 46119246, 90693936",
            "1111111109,  07081804, 68084774, 25091201",
            "1111111111,  14050471, 67062674, 99943326",
            "1234567890,  89005924, 91819424, 93441116",
            "2000000000,  69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826",
        })
        void computesTheCodesOfAppendixB(long epochSeconds, String sha1, String sha256, String sha512) {
            Instant time = Instant.ofEpochSecond(epochSeconds);

            assertThat(new Totp(8, THIRTY_SECONDS, TotpAlgorithm.SHA1).codeAt(RFC_SHA1_SECRET, time)).isEqualTo(sha1);
            assertThat(new Totp(8, THIRTY_SECONDS, TotpAlgorithm.SHA256).codeAt(RFC_SHA256_SECRET, time)).isEqualTo(sha256);
            assertThat(new Totp(8, THIRTY_SECONDS, TotpAlgorithm.SHA512).codeAt(RFC_SHA512_SECRET, time)).isEqualTo(sha512);
        }

        @ParameterizedTest(name = "T = {0}: {1}")
        @CsvSource({"59, 94287082", "1111111109, 07081804", "20000000000, 65353130"})
        void verifiesTheCodesOfAppendixB(long epochSeconds, String sha1) {
            Totp eightDigits = new Totp(8, THIRTY_SECONDS, TotpAlgorithm.SHA1);
            Instant time = Instant.ofEpochSecond(epochSeconds);

            assertThat(eightDigits.verify(RFC_SHA1_SECRET, sha1, time, Totp.NO_STEP_USED_YET))
                    .contains(epochSeconds / 30);
        }

        /** With 30-second steps, step n is HOTP counter n; these are RFC 4226 Appendix D's HOTP values. */
        @ParameterizedTest(name = "step {0}: {1}")
        @CsvSource({
            "0, 755224", "1, 287082", "2, 359152", "3, 969429", "4, 338314",
            "5, 254676", "6, 287922", "7, 162583", "8, 399871", "9, 520489",
        })
        void computesSixDigitCodesThatAreTheRfc4226HotpValuesOfTheStep(long step, String hotp) {
            assertThat(totp.codeAt(RFC_SHA1_SECRET, Instant.ofEpochSecond(step * 30))).isEqualTo(hotp);
            assertThat(totp.codeAt(RFC_SHA1_SECRET, Instant.ofEpochSecond(step * 30 + 29))).isEqualTo(hotp);
        }
    }

    @Nested
    class Settings {

        @Test
        void defaultsToSha1SixDigitsAndThirtySeconds() {
            assertThat(totp).isEqualTo(new Totp(6, Duration.ofSeconds(30), TotpAlgorithm.SHA1));
        }

        @Test
        void countsStepsOfTheConfiguredLengthFromTheUnixEpoch() {
            assertThat(totp.stepAt(Instant.ofEpochSecond(0))).isZero();
            assertThat(totp.stepAt(Instant.ofEpochSecond(59))).isEqualTo(1);
            assertThat(totp.stepAt(Instant.ofEpochSecond(60))).isEqualTo(2);
            assertThat(new Totp(6, Duration.ofSeconds(60), TotpAlgorithm.SHA1).stepAt(Instant.ofEpochSecond(119)))
                    .isEqualTo(1);
        }

        @Test
        void makesCodesOfTheConfiguredLength() {
            Instant time = Instant.parse("2026-05-01T12:00:00Z");

            assertThat(new Totp(7, THIRTY_SECONDS, TotpAlgorithm.SHA1).codeAt(RFC_SHA1_SECRET, time)).matches("\\d{7}");
            assertThat(new Totp(8, THIRTY_SECONDS, TotpAlgorithm.SHA1).codeAt(RFC_SHA1_SECRET, time))
                    .matches("\\d{8}")
                    .endsWith(totp.codeAt(RFC_SHA1_SECRET, time));
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 5, 9, 10})
        void refusesCodeLengthsOutsideSixToEight(int digits) {
            assertThatThrownBy(() -> new Totp(digits, THIRTY_SECONDS, TotpAlgorithm.SHA1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("6 to 8 digits");
        }

        @ParameterizedTest
        @ValueSource(strings = {"PT0S", "PT-30S", "PT0.5S", "PT30.5S"})
        void refusesStepsThatAreNotAPositiveWholeNumberOfSeconds(String step) {
            assertThatThrownBy(() -> new Totp(6, Duration.parse(step), TotpAlgorithm.SHA1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive whole number of seconds");
        }

        @Test
        void refusesAMissingStepOrAlgorithm() {
            assertThatThrownBy(() -> new Totp(6, null, TotpAlgorithm.SHA1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new Totp(6, THIRTY_SECONDS, null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void refusesTimesBeforeTheUnixEpoch() {
            assertThatThrownBy(() -> totp.codeAt(RFC_SHA1_SECRET, Instant.ofEpochSecond(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("before");
        }
    }

    @Nested
    class DriftWindow {

        private final Instant now = Instant.parse("2026-05-01T12:00:10Z");
        private final long currentStep = totp.stepAt(now);

        @Test
        void acceptsTheCodeOfTheCurrentStepAndReturnsThatStep() {
            String code = totp.codeAt(RFC_SHA1_SECRET, now);

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).contains(currentStep);
        }

        @Test
        void acceptsTheCodeOfThePreviousStepFromASlowClockOrSlowTypist() {
            String code = totp.codeAt(RFC_SHA1_SECRET, now.minusSeconds(30));

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).contains(currentStep - 1);
        }

        @Test
        void acceptsTheCodeOfTheNextStepFromAFastClock() {
            String code = totp.codeAt(RFC_SHA1_SECRET, now.plusSeconds(30));

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).contains(currentStep + 1);
        }

        @Test
        void refusesTheCodeOfTwoStepsAgo() {
            String code = totp.codeAt(RFC_SHA1_SECRET, now.minusSeconds(60));

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).isEmpty();
        }

        @Test
        void refusesTheCodeOfTwoStepsAhead() {
            String code = totp.codeAt(RFC_SHA1_SECRET, now.plusSeconds(60));

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).isEmpty();
        }

        @Test
        void refusesTheCodeOfAnotherSecret() {
            String code = totp.codeAt(RFC_SHA256_SECRET, now);

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).isEmpty();
        }

        @Test
        void acceptsTheCodeOfTheFirstStepAtTheEpoch() {
            Instant epoch = Instant.EPOCH;

            assertThat(totp.verify(RFC_SHA1_SECRET, "755224", epoch, Totp.NO_STEP_USED_YET)).contains(0L);
            assertThat(totp.verify(RFC_SHA1_SECRET, "287082", epoch, Totp.NO_STEP_USED_YET)).contains(1L);
        }

        @Test
        void usesTheConfiguredAlgorithmDigitsAndStep() {
            Totp sha256 = new Totp(8, Duration.ofSeconds(60), TotpAlgorithm.SHA256);
            String previous = sha256.codeAt(RFC_SHA256_SECRET, now.minusSeconds(60));

            assertThat(sha256.verify(RFC_SHA256_SECRET, previous, now, Totp.NO_STEP_USED_YET))
                    .contains(sha256.stepAt(now) - 1);
        }
    }

    @Nested
    class ReplayProtection {

        private final Instant now = Instant.parse("2026-05-01T12:00:10Z");

        @Test
        void refusesTheSameCodeASecondTime() {
            String code = totp.codeAt(RFC_SHA1_SECRET, now);
            long usedStep = totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET).orElseThrow();

            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, usedStep)).isEmpty();
            assertThat(totp.verify(RFC_SHA1_SECRET, code, now.plusSeconds(15), usedStep)).isEmpty();
        }

        @Test
        void refusesAnOlderCodeOnceALaterOneWasUsed() {
            String later = totp.codeAt(RFC_SHA1_SECRET, now);
            String earlier = totp.codeAt(RFC_SHA1_SECRET, now.minusSeconds(30));
            long usedStep = totp.verify(RFC_SHA1_SECRET, later, now, Totp.NO_STEP_USED_YET).orElseThrow();

            assertThat(totp.verify(RFC_SHA1_SECRET, earlier, now, usedStep)).isEmpty();
        }

        @Test
        void acceptsTheCodeOfALaterStepAfterAnEarlierOneWasUsed() {
            String earlier = totp.codeAt(RFC_SHA1_SECRET, now.minusSeconds(30));
            String current = totp.codeAt(RFC_SHA1_SECRET, now);
            long usedStep = totp.verify(RFC_SHA1_SECRET, earlier, now, Totp.NO_STEP_USED_YET).orElseThrow();

            assertThat(totp.verify(RFC_SHA1_SECRET, current, now, usedStep)).contains(usedStep + 1);
        }

        /**
         * Found by search: for this secret, steps 59,373,960 and 59,373,961 (the latter from 2026-06-11T23:00:30Z)
         * share the code 252821. Returning the earlier step would let the same code be accepted again for the later one.
         */
        @Test
        void returnsTheLatestStepWhenAdjacentStepsShareTheCode() {
            TotpSecret secret = ascii("collision-search-key-000");
            Instant now = Instant.ofEpochSecond(59_373_961L * 30);
            String code = totp.codeAt(secret, now);
            assertThat(code).isEqualTo("252821");
            assertThat(totp.codeAt(secret, now.minusSeconds(30))).as("precondition").isEqualTo(code);

            long usedStep = totp.verify(secret, code, now, Totp.NO_STEP_USED_YET).orElseThrow();

            assertThat(usedStep).isEqualTo(59_373_961L);
            assertThat(totp.verify(secret, code, now, usedStep)).isEmpty();
        }
    }

    @Nested
    class MalformedCodes {

        private final Instant now = Instant.parse("2026-05-01T12:00:10Z");
        private final String valid = totp.codeAt(RFC_SHA1_SECRET, now);

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"", "12345", "1234567", " 123456", "123456 ", "12345a", "123 456", "+12345", "-12345",
            "١٢٣٤٥٦", "１２３４５６"})
        void refusesAnythingButExactlySixAsciiDigits(String code) {
            assertThat(totp.verify(RFC_SHA1_SECRET, code, now, Totp.NO_STEP_USED_YET)).isEmpty();
        }

        @Test
        void refusesTheRightCodeWithSurroundingSpaces() {
            assertThat(totp.verify(RFC_SHA1_SECRET, " " + valid, now, Totp.NO_STEP_USED_YET)).isEmpty();
            assertThat(totp.verify(RFC_SHA1_SECRET, valid + " ", now, Totp.NO_STEP_USED_YET)).isEmpty();
        }

        @Test
        void refusesTheRightCodeWithAnExtraDigit() {
            assertThat(totp.verify(RFC_SHA1_SECRET, valid + "0", now, Totp.NO_STEP_USED_YET)).isEmpty();
            assertThat(totp.verify(RFC_SHA1_SECRET, valid.substring(1), now, Totp.NO_STEP_USED_YET)).isEmpty();
        }

        @Test
        void refusesAMissingCode() {
            assertThatThrownBy(() -> totp.verify(RFC_SHA1_SECRET, null, now, Totp.NO_STEP_USED_YET))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    private static TotpSecret ascii(String key) {
        return new TotpSecret(key.getBytes(US_ASCII));
    }
}
