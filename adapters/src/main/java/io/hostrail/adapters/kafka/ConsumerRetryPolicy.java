package io.hostrail.adapters.kafka;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * How a consumer retries an event's effect. A failure of the effect itself (a bug, bad data) is tried
 * {@code maxAttempts} times and then given up, so the event can be dead-lettered. A failure of the
 * infrastructure (the database unreachable, a connection lost, a transient error) says nothing about
 * the event: it is retried for as long as it lasts, since no event could be applied meanwhile and
 * dead-lettering them all would turn an outage into lost work.
 */
public final class ConsumerRetryPolicy {

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public ConsumerRetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The attempt, retried as described above; fails with the effect's own last error once attempts run out. */
    public <T> Mono<T> apply(Mono<T> attempt) {
        return attempt
                .retryWhen(Retry.backoff(Long.MAX_VALUE, initialBackoff).maxBackoff(maxBackoff).jitter(0.5)
                        .filter(ConsumerRetryPolicy::isInfrastructureFailure))
                .retryWhen(Retry.backoff(maxAttempts - 1L, initialBackoff).maxBackoff(maxBackoff).jitter(0.5)
                        .filter(error -> !isInfrastructureFailure(error))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** True when the failure is the infrastructure's rather than the event's or the handler's. */
    public static boolean isInfrastructureFailure(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            // A lock conflict is the effect's own business (it may never resolve): bounded like any failure.
            if (current instanceof ConcurrencyFailureException) {
                return false;
            }
            if (current instanceof TransientDataAccessException
                    || current instanceof DataAccessResourceFailureException
                    || current instanceof CannotCreateTransactionException
                    || current instanceof R2dbcTransientException
                    || current instanceof R2dbcNonTransientResourceException
                    || current instanceof IOException
                    || current instanceof TimeoutException) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }
}
