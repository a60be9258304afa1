package io.hostrail.payment.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.payment.model.StripeSignature.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StripeSignatureTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final byte[] BODY = "{\"id\": \"evt_1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TOLERANCE = StripeSignature.DEFAULT_TOLERANCE;

    @Test
    void anyV1UnderAnySecretWithinTheToleranceVerifies() {
        long t = NOW.getEpochSecond();
        String signed = StripeSignature.header("whsec_new", t, BODY);
        assertThat(StripeSignature.verify(signed, BODY, List.of("whsec_new"), NOW, TOLERANCE)).isEqualTo(Verdict.VALID);
        // Rotation: the old secret's signature verifies while both are set; Stripe sends one v1 per active secret.
        String both = StripeSignature.header("whsec_old", t, BODY) + ",v1="
                + signed.substring(signed.indexOf("v1=") + 3) + ",v0=ignored";
        assertThat(StripeSignature.verify(both, BODY, List.of("whsec_new", "whsec_old"), NOW, TOLERANCE))
                .isEqualTo(Verdict.VALID);
        assertThat(StripeSignature.verify(signed, BODY, List.of("whsec_old"), NOW, TOLERANCE))
                .isEqualTo(Verdict.MISMATCH);
        assertThat(StripeSignature.verify(StripeSignature.header("whsec_new", t - 300, BODY), BODY,
                List.of("whsec_new"), NOW, TOLERANCE)).isEqualTo(Verdict.VALID);
    }

    @Test
    void staleTamperedAndMalformedHeadersAreRefused() {
        long t = NOW.getEpochSecond();
        List<String> secrets = List.of("whsec_new");
        assertThat(StripeSignature.verify(StripeSignature.header("whsec_new", t - 301, BODY), BODY, secrets, NOW,
                TOLERANCE)).isEqualTo(Verdict.STALE);
        assertThat(StripeSignature.verify(StripeSignature.header("whsec_new", t + 301, BODY), BODY, secrets, NOW,
                TOLERANCE)).isEqualTo(Verdict.STALE);
        assertThat(StripeSignature.verify(StripeSignature.header("whsec_new", t, BODY),
                "{\"id\": \"evt_2\"}".getBytes(StandardCharsets.UTF_8), secrets, NOW, TOLERANCE))
                .isEqualTo(Verdict.MISMATCH);
        for (String header : new String[] {null, "", "t=" + t, "v1=00", "t=x,v1=00", "t=" + t + ",v1=zz", "garbage",
                "t=" + t + ",v1=00," + "x".repeat(3000)}) {
            assertThat(StripeSignature.verify(header, BODY, secrets, NOW, TOLERANCE)).as(header)
                    .isEqualTo(Verdict.MALFORMED);
        }
        assertThat(StripeSignature.verify(StripeSignature.header("whsec_new", t, BODY), BODY, List.of(), NOW,
                TOLERANCE)).isEqualTo(Verdict.MALFORMED);
    }
}
