package io.hostrail.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import io.hostrail.adapters.security.SigningKeys;
import io.hostrail.adapters.security.SigningKeys.KeySet;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.secret.SecretBox;
import io.hostrail.shared.time.SettableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Signing key rotation over the real key table, with time moved by hand: a key signs until it is due,
 * then stays published (so the tokens it signed still verify) until they have all expired.
 */
@HostrailIntegrationTest
class SigningKeyRotationIT {

    @Autowired DatabaseClient database;
    @Autowired SecretBox secretBox;
    @Autowired IdGenerator ids;
    @Autowired SecureRandom random;

    /** Far in the future, so the running application's own keys are out of this test's window. */
    private final SettableClock clock = SettableClock.at("2126-01-01T00:00:00Z");

    @Test
    @DisplayName("a due key is replaced for signing, stays published for the grace period, then is dropped")
    void rotation() {
        SigningKeys keys = new SigningKeys(database, secretBox, ids, clock, Duration.ofDays(30), Duration.ofMinutes(30), random);

        KeySet first = keys.refresh().block(Duration.ofSeconds(10));
        clock.advance(Duration.ofDays(10));
        KeySet stillFirst = keys.refresh().block(Duration.ofSeconds(10));
        clock.advance(Duration.ofDays(21));
        KeySet rotated = keys.refresh().block(Duration.ofSeconds(10));
        clock.advance(Duration.ofMinutes(31));
        KeySet afterGrace = keys.refresh().block(Duration.ofSeconds(10));

        String firstKid = first.signing().getKeyID();
        assertThat(stillFirst.signing().getKeyID()).isEqualTo(firstKid);
        assertThat(rotated.signing().getKeyID()).isNotEqualTo(firstKid);
        assertThat(rotated.published()).extracting(JWK::getKeyID).contains(firstKid, rotated.signing().getKeyID());
        assertThat(afterGrace.published()).extracting(JWK::getKeyID).doesNotContain(firstKid);
        assertThat(afterGrace.published()).allSatisfy(jwk -> assertThat(jwk.isPrivate()).isFalse());
    }

    @AfterEach
    void removeFutureKeys() {
        database.sql("DELETE FROM signing_key WHERE created_at >= :start").bind("start", Instant.parse("2126-01-01T00:00:00Z"))
                .fetch().rowsUpdated().block(Duration.ofSeconds(10));
    }
}
