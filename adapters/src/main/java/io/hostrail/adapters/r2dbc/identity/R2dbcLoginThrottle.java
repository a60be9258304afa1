package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.model.LoginThrottlePolicy.State;
import io.hostrail.identity.port.out.LoginThrottle;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.UnaryOperator;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Failed sign-in counts in PostgreSQL. {@link #update} must run inside a transaction: it locks the row. */
public final class R2dbcLoginThrottle implements LoginThrottle {

    private final DatabaseClient database;

    public R2dbcLoginThrottle(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<State> state(String subject) {
        return database.sql("SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_throttle WHERE subject = :s")
                .bind("s", subject).map(R2dbcLoginThrottle::toState).one();
    }

    @Override
    public Mono<State> update(String subject, UnaryOperator<State> change) {
        // The row exists before it is locked, so two first failures at once cannot both start from zero.
        return database.sql("INSERT INTO login_throttle (subject, failures) VALUES (:s, 0) ON CONFLICT (subject) DO NOTHING")
                .bind("s", subject).fetch().rowsUpdated()
                .then(database.sql("""
                                SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_throttle
                                WHERE subject = :s FOR UPDATE
                                """)
                        .bind("s", subject).map(R2dbcLoginThrottle::toState).one())
                .map(change)
                .flatMap(next -> {
                    var spec = database.sql("""
                                    UPDATE login_throttle SET failures = :failures, first_failure_at = :first,
                                        last_failure_at = :last, locked_until = :locked
                                    WHERE subject = :s
                                    """)
                            .bind("failures", next.failures()).bind("s", subject);
                    spec = next.firstFailureAt() == null ? spec.bindNull("first", Instant.class) : spec.bind("first", next.firstFailureAt());
                    spec = next.lastFailureAt() == null ? spec.bindNull("last", Instant.class) : spec.bind("last", next.lastFailureAt());
                    spec = next.lockedUntil() == null ? spec.bindNull("locked", Instant.class) : spec.bind("locked", next.lockedUntil());
                    return spec.fetch().rowsUpdated().thenReturn(next);
                });
    }

    @Override
    public Mono<Void> clear(String subject) {
        return database.sql("DELETE FROM login_throttle WHERE subject = :s").bind("s", subject).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Long> purgeQuietSince(Instant cutoff) {
        return database.sql("""
                        DELETE FROM login_throttle
                        WHERE (last_failure_at IS NULL OR last_failure_at < :cutoff) AND (locked_until IS NULL OR locked_until < :cutoff)
                        """)
                .bind("cutoff", cutoff).fetch().rowsUpdated();
    }

    private static State toState(Readable row) {
        return new State(row.get("failures", Integer.class), instant(row.get("first_failure_at", OffsetDateTime.class)),
                instant(row.get("last_failure_at", OffsetDateTime.class)), instant(row.get("locked_until", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
