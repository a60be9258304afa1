package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.hostrail.adapters.security.SigningKeys;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Signing in, staying signed in, signing out, and every way a token can be wrong. */
@HostrailIntegrationTest
class AuthenticationIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired SigningKeys signingKeys;

    private String tenant;
    private String owner;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        owner = "owner@" + tenant + ".test";
    }

    @Test
    @DisplayName("login returns an ES256 access token and a refresh token; /me shows who signed in")
    void loginAndMe() {
        Map<String, Object> tokens = login(http, tenant, owner, PASSWORD);

        String accessToken = (String) tokens.get("accessToken");
        assertThat(tokens.get("tokenType")).isEqualTo("Bearer");
        assertThat(((Number) tokens.get("expiresIn")).longValue()).isBetween(800L, 900L);
        assertThat((String) tokens.get("refreshToken")).hasSize(36 + 1 + 43);
        Map<?, ?> header = json(accessToken.split("\\.")[0]);
        assertThat(header.get("alg")).isEqualTo("ES256");
        assertThat(header.get("typ")).isEqualTo("at+jwt");

        http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(accessToken)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.email").isEqualTo(owner)
                .jsonPath("$.kind").isEqualTo("staff")
                .jsonPath("$.roles[0]").isEqualTo("owner")
                .jsonPath("$.permissions.length()").value(count -> assertThat((Integer) count).isGreaterThan(20));
    }

    @Test
    @DisplayName("the token responses are never cached")
    void tokensAreNotCached() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", owner, "password", PASSWORD)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-store");
    }

    @Test
    @DisplayName("a wrong password, an unknown email and an unknown tenant are refused alike")
    void wrongCredentialsAreIndistinguishable() {
        for (Map<String, String> attempt : List.of(
                Map.of("tenant", tenant, "email", owner, "password", "not the password at all"),
                Map.of("tenant", tenant, "email", "nobody@" + tenant + ".test", "password", PASSWORD),
                Map.of("tenant", "no-such-tenant", "email", owner, "password", PASSWORD),
                Map.of("tenant", tenant, "email", "not an email", "password", PASSWORD))) {
            http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(attempt).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.invalid_credentials")
                    .jsonPath("$.detail").isEqualTo("The tenant, email or password is not right.");
        }
    }

    @Test
    @DisplayName("a protected route without a token is 401 problem+json with a Bearer challenge")
    void missingTokenIs401() {
        http.get().uri("/api/v1/users").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.unauthenticated");
    }

    @Test
    @DisplayName("forged, alg-none, HS256, wrong-issuer, expired and garbage tokens are all refused")
    void badTokensAreRefused() throws Exception {
        ECKey real = signingKeys.keys().block(Duration.ofSeconds(10)).signing();
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(real.getKeyID()).generate();
        String subject = UUID.randomUUID().toString();
        String tenantId = (String) ((Map<?, ?>) login(http, tenant, owner, PASSWORD).get("user")).get("tenantId");
        Instant now = Instant.now();

        List<String> badTokens = List.of(
                signed(impostor, claims(subject, tenantId, "hostrail", now, now.plusSeconds(600))),
                new PlainJWT(claims(subject, tenantId, "hostrail", now, now.plusSeconds(600))).serialize(),
                hs256(claims(subject, tenantId, "hostrail", now, now.plusSeconds(600))),
                signed(real, claims(subject, tenantId, "someone-else", now, now.plusSeconds(600))),
                signed(real, claims(subject, tenantId, "hostrail", now.minusSeconds(3600), now.minusSeconds(1800))),
                "not.a.token",
                "eyJhbGciOiJub25lIn0.e30.");
        for (String token : badTokens) {
            http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                    .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.unauthenticated");
        }
        // The same claims signed with the real key are accepted: the refusals above are about the defects.
        String good = signed(real, claims(subject, tenantId, "hostrail", now, now.plusSeconds(600)));
        http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(good)).exchange().expectStatus().isOk();
    }

    @Test
    @DisplayName("refresh rotates the refresh token; presenting a used one revokes the whole family")
    void refreshRotationAndReuseDetection() {
        String first = (String) login(http, tenant, owner, PASSWORD).get("refreshToken");

        Map<?, ?> rotated = refresh(first).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String second = (String) rotated.get("refreshToken");
        assertThat(second).isNotEqualTo(first);
        http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth((String) rotated.get("accessToken"))).exchange()
                .expectStatus().isOk();

        // The first token again: a replay. It is refused and the family, including the second token, revoked.
        refresh(first).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.refresh_token_reused");
        refresh(second).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.invalid_refresh_token");
    }

    @Test
    @DisplayName("a second login is a separate family, untouched when another family is revoked")
    void familiesAreIndependent() {
        String a = (String) login(http, tenant, owner, PASSWORD).get("refreshToken");
        String b = (String) login(http, tenant, owner, PASSWORD).get("refreshToken");
        refresh(a).expectStatus().isOk();
        refresh(a).expectStatus().isUnauthorized();

        refresh(b).expectStatus().isOk();
    }

    @Test
    @DisplayName("logout revokes the session's refresh token; logging out twice is harmless")
    void logoutRevokes() {
        String token = (String) login(http, tenant, owner, PASSWORD).get("refreshToken");

        logout(token).expectStatus().isNoContent();
        logout(token).expectStatus().isNoContent();
        refresh(token).expectStatus().isUnauthorized();
    }

    @Test
    @DisplayName("malformed and unknown refresh tokens are refused without revealing anything")
    void unknownRefreshTokens() {
        refresh("garbage").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.invalid_refresh_token");
        String lookalike = UUID.randomUUID() + "." + "A".repeat(43);
        refresh(lookalike).expectStatus().isUnauthorized();
        logout("garbage").expectStatus().isNoContent();
    }

    @Test
    @DisplayName("JWKS publishes the signing key's public half only")
    void jwksPublishesPublicKeys() {
        String kid = (String) json(((String) login(http, tenant, owner, PASSWORD).get("accessToken")).split("\\.")[0]).get("kid");
        http.get().uri("/.well-known/jwks.json").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.keys[?(@.kid == '" + kid + "')].kty").isEqualTo("EC")
                .jsonPath("$.keys[0].d").doesNotExist();
    }

    private WebTestClient.ResponseSpec refresh(String token) {
        return http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", token)).exchange();
    }

    private WebTestClient.ResponseSpec logout(String token) {
        return http.post().uri("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", token)).exchange();
    }

    private static JWTClaimsSet claims(String subject, String tenantId, String issuer, Instant issuedAt, Instant expiresAt) {
        return new JWTClaimsSet.Builder().subject(subject).issuer(issuer).issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt)).expirationTime(Date.from(expiresAt))
                .claim("tid", tenantId).claim("kind", "staff").claim("email", "x@y.test")
                .claim("roles", List.of("owner")).claim("perms", List.of("user:read")).build();
    }

    private static String signed(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new MACSigner(new byte[32]));
        return jwt.serialize();
    }

    private static Map<?, ?> json(String base64Url) {
        try {
            return new tools.jackson.databind.json.JsonMapper().readValue(Base64.getUrlDecoder().decode(base64Url), Map.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
