package io.hostrail.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A real PostgreSQL server from the zonky binaries, with one application database in it. */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "hostrail";
    /** Owns the schema and runs migrations. */
    public static final String ADMIN_USER = "postgres";
    public static final String ADMIN_PASSWORD = "postgres";
    /** What the application connects as: not a superuser, so row-level security applies to it. */
    public static final String APP_USER = "hostrail";
    public static final String APP_PASSWORD = "hostrail";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL. With a data directory the cluster survives restarts (initdb runs only on
     * first start); without one it lives in a temporary directory and favours speed over durability.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("timezone", "UTC")
                    // Hostrail stops the server itself, in order; the library's own hook could run first.
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            if (Boolean.getBoolean(STATEMENT_STATISTICS)) {
                // For benchmarks: every statement's calls and time, nested ones (triggers, foreign-key checks) too.
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track", "all");
            }
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            } else {
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
            server.createDatabaseIfMissing(DATABASE);
            server.createApplicationRoleIfMissing();
            if (Boolean.getBoolean(STATEMENT_STATISTICS)) {
                server.createStatementStatistics(DATABASE);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** Set to {@code true} to load {@code pg_stat_statements} into the database (benchmarks only; it costs a little). */
    public static final String STATEMENT_STATISTICS = "hostrail.embedded.postgres.statement-statistics";

    private void createStatementStatistics(String database) {
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } catch (SQLException e) {
            throw new IllegalStateException("could not load pg_stat_statements", e);
        }
    }

    private void createApplicationRoleIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + APP_USER + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD
                    + "' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the application role", e);
        }
    }

    /** Creates a database beside the application's, e.g. to isolate a test that needs a private outbox. */
    public void createDatabaseIfMissing(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("unsafe database name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the " + name + " database", e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://localhost:" + port() + "/" + database;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String r2dbcUrl() {
        return r2dbcUrl(DATABASE);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
