package io.hostrail.adapters.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.port.out.AccessTokens;
import io.hostrail.shared.model.IdGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** Signs access tokens as ES256 JWTs with the current signing key. */
public final class JwtAccessTokens implements AccessTokens {

    public static final String TENANT = "tid";
    public static final String EMAIL = "email";
    public static final String KIND = "kind";
    public static final String CUSTOMER = "cid";
    public static final String ROLES = "roles";
    public static final String PERMISSIONS = "perms";
    public static final String SESSION = "sid";
    public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final IdGenerator ids;
    private final String issuer;
    private final Duration lifetime;
    private final SecureRandom random;

    public JwtAccessTokens(SigningKeys keys, IdGenerator ids, String issuer, Duration lifetime, SecureRandom random) {
        this.random = random;
        this.keys = keys;
        this.ids = ids;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    @Override
    public Mono<Issued> issue(Principal principal, Instant issuedAt) {
        Instant expiresAt = issuedAt.plus(lifetime);
        return keys.keys().map(keySet -> {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .subject(principal.userId().toString())
                    .jwtID(ids.newId().toString())
                    .issueTime(Date.from(issuedAt))
                    .notBeforeTime(Date.from(issuedAt))
                    .expirationTime(Date.from(expiresAt))
                    .claim(TENANT, principal.tenant().value().toString())
                    .claim(EMAIL, principal.email())
                    .claim(KIND, principal.kind().name().toLowerCase(Locale.ROOT))
                    .claim(ROLES, principal.roles().stream().toList())
                    .claim(PERMISSIONS, principal.permissions().stream().map(Permission::value).toList())
                    .claim(SESSION, principal.sessionId() == null ? null : principal.sessionId().toString());
            if (principal.customerId() != null) {
                claims.claim(CUSTOMER, principal.customerId().toString());
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keySet.signing().getKeyID())
                    .type(ACCESS_TOKEN_TYPE).build(), claims.build());
            try {
                ECDSASigner signer = new ECDSASigner(keySet.signing());
                // ECDSA needs a random nonce per signature: from our seeded DRBG, not the JDK's file-backed default.
                signer.getJCAContext().setSecureRandom(random);
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException("could not sign an access token", e);
            }
            return new Issued(jwt.serialize(), expiresAt);
        });
    }
}
