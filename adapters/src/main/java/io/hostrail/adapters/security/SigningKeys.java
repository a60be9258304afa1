package io.hostrail.adapters.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.secret.SecretBox;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The ES256 keys that sign access tokens, shared by every instance through PostgreSQL. The newest key
 * signs; a new one is made when it is older than the rotation interval; a replaced key stays published
 * (so tokens it signed still verify) for {@code publishedFor} after its successor appeared. Private keys are stored sealed.
 * The current set is cached in memory, so verifying a token never touches the database.
 */
public final class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    /** What is cached: the key that signs and every key that may still verify. */
    public record KeySet(ECKey signing, List<JWK> published, Instant loadedAt) {
    }

    private final DatabaseClient database;
    private final SecretBox secretBox;
    private final IdGenerator ids;
    private final Clock clock;
    private final Duration rotationInterval;
    private final Duration publishedFor;
    private final SecureRandom random;
    private final AtomicReference<KeySet> current = new AtomicReference<>();

    /**
     * @param publishedFor how long after it stops signing a key keeps verifying: at least the access
     *     token lifetime
     */
    public SigningKeys(DatabaseClient database, SecretBox secretBox, IdGenerator ids, Clock clock,
            Duration rotationInterval, Duration publishedFor, SecureRandom random) {
        this.random = random;
        this.database = database;
        this.secretBox = secretBox;
        this.ids = ids;
        this.clock = clock;
        this.rotationInterval = rotationInterval;
        this.publishedFor = publishedFor;
    }

    /** The cached key set, loaded (and a first key made) on first use. */
    public Mono<KeySet> keys() {
        KeySet cached = current.get();
        return cached != null ? Mono.just(cached) : refresh();
    }

    /** Reloads from the database, making a new signing key first if the newest is due for rotation. */
    public Mono<KeySet> refresh() {
        Instant now = clock.instant();
        return newestCreatedAt()
                .filter(created -> created.plus(rotationInterval).isAfter(now))
                .switchIfEmpty(Mono.defer(() -> create(now)))
                .then(load(now))
                .doOnNext(current::set);
    }

    /**
     * The key set, reloaded first if it does not know {@code kid}: another instance may have rotated.
     * Reloads at most every {@code minimumAge}, so tokens with made-up key ids cannot flood the database.
     */
    public Mono<KeySet> keysKnowing(String kid, Duration minimumAge) {
        return keys().flatMap(keys -> {
            boolean known = keys.published().stream().anyMatch(jwk -> jwk.getKeyID().equals(kid));
            boolean fresh = keys.loadedAt().plus(minimumAge).isAfter(clock.instant());
            return known || fresh ? Mono.just(keys) : load(clock.instant()).doOnNext(current::set);
        });
    }

    private Mono<Instant> newestCreatedAt() {
        return database.sql("SELECT max(created_at) AS newest FROM signing_key")
                .map(row -> java.util.Optional.ofNullable(row.get("newest", OffsetDateTime.class)))
                .one()
                .flatMap(newest -> Mono.justOrEmpty(newest.map(OffsetDateTime::toInstant)));
    }

    private Mono<Instant> create(Instant now) {
        ECKey key;
        try {
            // Our seeded DRBG: the JDK default would read /dev/urandom on whatever (event-loop) thread asks.
            key = new ECKeyGenerator(Curve.P_256).secureRandom(random).keyID(ids.newId().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).issueTime(java.util.Date.from(now)).generate();
        } catch (JOSEException e) {
            return Mono.error(new IllegalStateException("could not generate a signing key", e));
        }
        log.info("created access token signing key {}", key.getKeyID());
        return database.sql("""
                        INSERT INTO signing_key (kid, algorithm, public_jwk, private_jwk, created_at)
                        VALUES (:kid, 'ES256', :public, :private, :now)
                        """)
                .bind("kid", key.getKeyID()).bind("public", key.toPublicJWK().toJSONString())
                .bind("private", secretBox.seal(key.toJSONString(), context(key.getKeyID())))
                .bind("now", now)
                .fetch().rowsUpdated().thenReturn(now);
    }

    private Mono<KeySet> load(Instant now) {
        // A key stops signing when its successor is created, and the tokens it signed live on from then:
        // it stays published until publishedFor after its successor appeared.
        return database.sql("""
                        SELECT kid, public_jwk, private_jwk FROM (
                            SELECT kid, public_jwk, private_jwk, created_at,
                                   lead(created_at) OVER (ORDER BY created_at, kid) AS superseded_at
                            FROM signing_key) keys
                        WHERE superseded_at IS NULL OR superseded_at > :cutoff
                        ORDER BY created_at DESC, kid DESC
                        """)
                .bind("cutoff", now.minus(publishedFor))
                .map(row -> new StoredKey(row.get("kid", String.class), row.get("public_jwk", String.class),
                        row.get("private_jwk", String.class)))
                .all().collectList()
                .flatMap(stored -> stored.isEmpty()
                        ? Mono.error(new IllegalStateException("no signing key is available"))
                        : Mono.fromCallable(() -> new KeySet(
                                ECKey.parse(secretBox.open(stored.getFirst().sealedPrivate(), context(stored.getFirst().kid()))),
                                stored.stream().map(SigningKeys::publicKey).toList(), now)));
    }

    private static JWK publicKey(StoredKey stored) {
        try {
            return JWK.parse(stored.publicJwk());
        } catch (ParseException e) {
            throw new IllegalStateException("stored public key " + stored.kid() + " is not a JWK", e);
        }
    }

    private static String context(String kid) {
        return "platform:signing-key:" + kid;
    }

    private record StoredKey(String kid, String publicJwk, String sealedPrivate) {
    }
}
