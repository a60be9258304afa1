package io.hostrail.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostrail.infra.embedded.EmbeddedPostgresServer;
import io.hostrail.infra.embedded.SharedEmbeddedStack;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

class RowLevelSecurityGuardTest {

    @Test
    @DisplayName("connected as a superuser, the application stops: row-level security would not apply")
    void superuserStopsTheApplication() {
        GenericApplicationContext context = running();
        new RowLevelSecurityGuard(client(EmbeddedPostgresServer.ADMIN_USER, EmbeddedPostgresServer.ADMIN_PASSWORD), context, false)
                .checkTheDatabaseRole();

        await().atMost(Duration.ofSeconds(10)).until(() -> !context.isActive());
    }

    @Test
    @DisplayName("connected as an ordinary role, the application runs on")
    void ordinaryRoleRunsOn() {
        GenericApplicationContext context = running();
        new RowLevelSecurityGuard(client(EmbeddedPostgresServer.APP_USER, EmbeddedPostgresServer.APP_PASSWORD), context, false)
                .checkTheDatabaseRole();

        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(context.isActive()).isTrue();
        context.close();
    }

    private static GenericApplicationContext running() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        return context;
    }

    private static DatabaseClient client(String user, String password) {
        int port = SharedEmbeddedStack.get().postgres().port();
        return DatabaseClient.create(ConnectionFactories.get(
                "r2dbc:postgresql://" + user + ":" + password + "@localhost:" + port + "/" + EmbeddedPostgresServer.DATABASE));
    }
}
