package io.hostrail.api.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Row-level security is the second wall between tenants, and PostgreSQL lets superusers and BYPASSRLS
 * roles walk through it without a word. If the application connects as such a role, it stops rather
 * than run with one wall silently missing (hostrail.security.allow-rls-bypass=true overrides, loudly).
 */
@Component
public class RowLevelSecurityGuard {

    private static final Logger log = LoggerFactory.getLogger(RowLevelSecurityGuard.class);

    private final DatabaseClient database;
    private final ConfigurableApplicationContext context;
    private final boolean allowBypass;

    public RowLevelSecurityGuard(DatabaseClient database, ConfigurableApplicationContext context,
            @Value("${hostrail.security.allow-rls-bypass:false}") boolean allowBypass) {
        this.database = database;
        this.context = context;
        this.allowBypass = allowBypass;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void checkTheDatabaseRole() {
        database.sql("SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
                .map(row -> new Role(row.get("role", String.class), Boolean.TRUE.equals(row.get("rolsuper", Boolean.class)),
                        Boolean.TRUE.equals(row.get("rolbypassrls", Boolean.class))))
                .one()
                .subscribe(role -> {
                    if (!role.superuser() && !role.bypassesRls()) {
                        return;
                    }
                    String problem = "the application connects to PostgreSQL as '" + role.name() + "', which "
                            + (role.superuser() ? "is a superuser" : "has BYPASSRLS")
                            + ": row-level security would not separate tenants. Connect as an ordinary role.";
                    if (allowBypass) {
                        log.error("{} (continuing: hostrail.security.allow-rls-bypass=true)", problem);
                    } else {
                        log.error("{} Stopping.", problem);
                        context.close();
                    }
                }, error -> log.warn("could not check the database role: {}", error.toString()));
    }

    private record Role(String name, boolean superuser, boolean bypassesRls) {
    }
}
