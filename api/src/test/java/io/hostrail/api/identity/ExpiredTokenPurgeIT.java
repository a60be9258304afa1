package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.ExpiredTokenPurge;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@HostrailIntegrationTest
class ExpiredTokenPurgeIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired ExpiredTokenPurge purge;
    @Autowired DatabaseClient database;
    @Autowired UnitOfWork unitOfWork;

    @Test
    @DisplayName("refresh tokens long expired are deleted; live ones, revoked or not, are kept")
    void purgesOnlyLongExpiredTokens() {
        String tenant = newTenant(bootstrap, PASSWORD);
        String owner = "owner@" + tenant + ".test";
        Map<String, Object> old = login(http, tenant, owner, PASSWORD);
        Map<String, Object> live = login(http, tenant, owner, PASSWORD);
        http.post().uri("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", live.get("refreshToken"))).exchange().expectStatus().isNoContent();
        TenantId tenantId = new TenantId(UUID.fromString((String) ((Map<?, ?>) old.get("user")).get("tenantId")));
        String oldSession = ((String) old.get("refreshToken")).substring(0, 36);
        TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database
                        .sql("UPDATE refresh_token SET expires_at = now() - interval '2 days' WHERE tenant_id = :t "
                                + "AND token_hash = sha256(convert_to(:token, 'UTF8'))")
                        .bind("t", tenantId.value()).bind("token", old.get("refreshToken")).fetch().rowsUpdated()))
                .block(Duration.ofSeconds(10));

        Long deleted = purge.run().block(Duration.ofSeconds(30));

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        Long remaining = TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database
                        .sql("SELECT count(*) AS n FROM refresh_token WHERE tenant_id = :t").bind("t", tenantId.value())
                        .map(row -> row.get("n", Long.class)).one()))
                .block(Duration.ofSeconds(10));
        assertThat(remaining).isEqualTo(1);
        assertThat(oldSession).isEqualTo(tenantId.value().toString());
    }
}
