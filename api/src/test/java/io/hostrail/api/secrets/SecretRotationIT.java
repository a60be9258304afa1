package io.hostrail.api.secrets;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.adapters.crypto.AesGcmSecretBox;
import io.hostrail.adapters.crypto.MasterKeys;
import io.hostrail.adapters.r2dbc.secrets.R2dbcSecretResealer;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import java.time.Duration;
import java.time.Instant;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.WebhookService;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Master key rotation: values sealed under a retiring key are resealed under the active one, once. */
@HostrailIntegrationTest
class SecretRotationIT {

    private static final String RETIRING_KEY = "old-1:" + MasterKeys.generateKey();

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired UnitOfWork unitOfWork;
    @Autowired SecretBox secretBox;
    @Value("${hostrail.secrets.master-keys}") String activeKeys;

    @Test
    @DisplayName("resealing moves every value to the active key, the application opens them, and a rerun changes nothing")
    void resealMovesValuesToTheActiveKey() {
        String password = "a long and unguessable passphrase";
        String tenant = newTenant(bootstrap, password);
        Map<?, ?> me = http.get().uri("/api/v1/auth/me")
                .headers(h -> h.setBearerAuth(accessToken(http, tenant, "owner@" + tenant + ".test", password)))
                .exchange().expectBody(Map.class).returnResult().getResponseBody();
        TenantId tenantId = new TenantId(UUID.fromString((String) me.get("tenantId")));
        UUID userId = UUID.fromString((String) me.get("userId"));
        SecretBox retiring = new AesGcmSecretBox(MasterKeys.parse(RETIRING_KEY, "old-1"));
        String totpContext = "tenant:" + tenantId.value() + ":user:" + userId + ":totp";
        String kid = "rotation-test-" + UUID.randomUUID();
        TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database.sql("""
                        INSERT INTO user_totp (tenant_id, user_id, secret_sealed, created_at) VALUES (:t, :u, :s, now())
                        """).bind("t", tenantId.value()).bind("u", userId)
                        .bind("s", retiring.seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totpContext)).fetch().rowsUpdated()))
                .block(Duration.ofSeconds(10));
        String stripeContext = PaymentProviderService.context(tenantId, Payment.Provider.STRIPE);
        String webhookContext = WebhookService.context(tenantId, Payment.Provider.STRIPE);
        TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database.sql("""
                        INSERT INTO payment_provider_account (tenant_id, provider, environment, public_key, secret_sealed,
                            webhook_secrets_sealed, updated_at)
                        VALUES (:t, 'stripe', 'test', 'pk_test_123456789', :secret, ARRAY[:webhook], now())
                        """).bind("t", tenantId.value())
                        .bind("secret", retiring.seal("sk_test_123456789", stripeContext))
                        .bind("webhook", retiring.seal("whsec_123456789", webhookContext)).fetch().rowsUpdated()))
                .block(Duration.ofSeconds(10));
        // A long-retired signing key (outside the published window), so the running application ignores it.
        database.sql("""
                        INSERT INTO signing_key (kid, algorithm, public_jwk, private_jwk, created_at)
                        VALUES (:kid, 'ES256', '{}', :private, :created)
                        """).bind("kid", kid).bind("private", retiring.seal("{\"d\":\"x\"}", "platform:signing-key:" + kid))
                .bind("created", Instant.now().minus(Duration.ofDays(400))).fetch().rowsUpdated().block(Duration.ofSeconds(10));

        SecretBox rotating = new AesGcmSecretBox(MasterKeys.parse(activeKeys + "," + RETIRING_KEY, secretBox.activeKeyId()));
        R2dbcSecretResealer resealer = new R2dbcSecretResealer(database, unitOfWork, rotating);
        Long resealed = resealer.resealAll().block(Duration.ofSeconds(30));
        Long again = resealer.resealAll().block(Duration.ofSeconds(30));

        assertThat(resealed).isGreaterThanOrEqualTo(3);
        assertThat(again).isZero();
        String totp = TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database
                        .sql("SELECT secret_sealed FROM user_totp WHERE user_id = :u").bind("u", userId)
                        .map(row -> row.get("secret_sealed", String.class)).one()))
                .block(Duration.ofSeconds(10));
        assertThat(totp).startsWith("hs1:" + secretBox.activeKeyId() + ":");
        assertThat(secretBox.open(totp, totpContext)).isEqualTo("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        List<String> stripe = TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database
                        .sql("SELECT secret_sealed, webhook_secrets_sealed[1] AS webhook FROM payment_provider_account")
                        .map(row -> List.of(row.get("secret_sealed", String.class), row.get("webhook", String.class)))
                        .one()))
                .block(Duration.ofSeconds(10));
        assertThat(secretBox.open(stripe.get(0), stripeContext)).isEqualTo("sk_test_123456789");
        assertThat(secretBox.open(stripe.get(1), webhookContext)).isEqualTo("whsec_123456789");
        String signing = database.sql("SELECT private_jwk FROM signing_key WHERE kid = :kid").bind("kid", kid)
                .map(row -> row.get("private_jwk", String.class)).one().block(Duration.ofSeconds(10));
        assertThat(secretBox.open(signing, "platform:signing-key:" + kid)).isEqualTo("{\"d\":\"x\"}");
        database.sql("DELETE FROM signing_key WHERE kid = :kid").bind("kid", kid).fetch().rowsUpdated().block(Duration.ofSeconds(10));
    }
}
