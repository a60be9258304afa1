package io.hostrail.identity.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtpAuthUriTest {

    private static final TotpSecret SECRET = TotpSecret.fromBase32("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ");

    @Test
    void percentEncodesSpacesAndAtSignsInTheLabelAndTheIssuerParameter() {
        String uri = OtpAuthUri.of("Acme Hosting", "jane@acme.test", SECRET, new Totp());

        assertThat(uri).isEqualTo("otpauth://totp/Acme%20Hosting:jane%40acme.test"
                + "?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=Acme%20Hosting&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void isAValidUriWhosePartsDecodeToTheOriginalValues() {
        URI uri = URI.create(OtpAuthUri.of("Acme Hosting", "jane@acme.test", SECRET, new Totp()));

        assertThat(uri.getScheme()).isEqualTo("otpauth");
        assertThat(uri.getHost()).isEqualTo("totp");
        assertThat(uri.getPath()).isEqualTo("/Acme Hosting:jane@acme.test");
        assertThat(uri.getQuery()).contains("issuer=Acme Hosting");
    }

    @Test
    void carriesTheSecretAsUnpaddedBase32() {
        TotpSecret sixteenBytes = TotpSecret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY======");

        assertThat(OtpAuthUri.of("Acme", "jane", sixteenBytes, new Totp()))
                .contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY&")
                .doesNotContain("=&")
                .doesNotContain("%3D");
    }

    @Test
    void carriesTheAlgorithmDigitsAndPeriodOfTheTotp() {
        Totp totp = new Totp(8, Duration.ofSeconds(60), TotpAlgorithm.SHA512);

        assertThat(OtpAuthUri.of("Acme", "jane", SECRET, totp)).endsWith("&algorithm=SHA512&digits=8&period=60");
    }

    @Test
    void encodesNonAsciiCharactersAsUtf8() {
        String uri = OtpAuthUri.of("Société Générale", "zoë+2fa@example.com", SECRET, new Totp());

        assertThat(uri).startsWith("otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:zo%C3%AB%2B2fa%40example.com?");
        assertThat(URLDecoder.decode(uri.substring("otpauth://totp/".length(), uri.indexOf('?')), StandardCharsets.UTF_8))
                .isEqualTo("Société Générale:zoë+2fa@example.com");
    }

    @Test
    void encodesCharactersThatWouldBreakTheQuery() {
        String uri = OtpAuthUri.of("A&B Co?", "x=y#1/2", SECRET, new Totp());

        assertThat(uri).startsWith("otpauth://totp/A%26B%20Co%3F:x%3Dy%231%2F2?secret=")
                .contains("&issuer=A%26B%20Co%3F&");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme: Hosting", "Acme:"})
    void refusesAnIssuerWithAColonBecauseTheColonSeparatesIssuerFromAccount(String issuer) {
        assertThatThrownBy(() -> OtpAuthUri.of(issuer, "jane@acme.test", SECRET, new Totp()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuer")
                .hasMessageContaining("colon");
    }

    @Test
    void refusesAnAccountNameWithAColon() {
        assertThatThrownBy(() -> OtpAuthUri.of("Acme", "jane:doe", SECRET, new Totp()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("account name")
                .hasMessageContaining("colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void refusesABlankIssuerOrAccountName(String blank) {
        assertThatThrownBy(() -> OtpAuthUri.of(blank, "jane", SECRET, new Totp()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> OtpAuthUri.of("Acme", blank, SECRET, new Totp()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }
}
