package io.hostrail.shared.idempotency;

import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.IdempotencyRecords;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The rules of {@code Idempotency-Key}. A key belongs to one caller in one tenant and to the first request made with
 * it: the same request again gets the first answer again; a different request under the key is refused, and so is one
 * that arrives while the first is still running. Only successful answers are kept; a failed request changed nothing,
 * so its key is given up and the request may be retried under it. A request interrupted without an answer (the
 * instance stopped) keeps its key claimed until the key expires, because whether it took effect is unknown: a retry is
 * refused rather than risk doing the work twice.
 */
public final class IdempotentRequests {

    public static final ErrorCode KEY_INVALID = ErrorCode.validation("idempotency.key_invalid");
    public static final ErrorCode KEY_REUSED = ErrorCode.rejected("idempotency.key_reused");
    public static final ErrorCode IN_PROGRESS = ErrorCode.conflict("idempotency.in_progress");
    public static final ErrorCode ANSWER_WITHHELD = ErrorCode.conflict("idempotency.answer_withheld");
    /** Stripe keeps keys for 24 hours; integrators expect the same window. */
    public static final Duration KEY_LIFETIME = Duration.ofHours(24);
    public static final int MAX_KEY_LENGTH = 255;

    /** What to do with a request: run it (the key is now claimed for it) or answer it with the stored response. */
    public sealed interface Decision {
    }

    public record Proceed() implements Decision {
    }

    public record Replay(IdempotentResponse response) implements Decision {
    }

    private final IdempotencyRecords records;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    public IdempotentRequests(IdempotencyRecords records, UnitOfWork unitOfWork, Clock clock) {
        this.records = records;
        this.unitOfWork = unitOfWork;
        this.clock = clock;
    }

    public static void requireValidKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new DomainException(KEY_INVALID, "An Idempotency-Key is 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters, such as a UUID.",
                    java.util.List.of(new DomainException.FieldViolation("Idempotency-Key",
                            "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters")));
        }
    }

    public Mono<Decision> begin(TenantId tenant, UUID caller, String key, String requestHash) {
        return claimOrFind(tenant, caller, key, requestHash)
                // The first request may have given the key up between our claim and our look: claim once more.
                .switchIfEmpty(Mono.defer(() -> claimOrFind(tenant, caller, key, requestHash)))
                .switchIfEmpty(Mono.error(IdempotentRequests::inProgress));
    }

    private Mono<Decision> claimOrFind(TenantId tenant, UUID caller, String key, String requestHash) {
        var now = clock.instant();
        var expiredBefore = now.minus(KEY_LIFETIME);
        return within(tenant, records.claim(tenant, caller, key, requestHash, now, expiredBefore))
                .flatMap(claimed -> claimed ? Mono.<Decision>just(new Proceed())
                        : within(tenant, records.find(tenant, caller, key, expiredBefore))
                                .flatMap(recorded -> decide(recorded, requestHash)));
    }

    public Mono<Void> complete(TenantId tenant, UUID caller, String key, IdempotentResponse response) {
        return within(tenant, records.complete(tenant, caller, key, response, clock.instant()));
    }

    public Mono<Void> release(TenantId tenant, UUID caller, String key) {
        return within(tenant, records.release(tenant, caller, key));
    }

    /** Deletes keys older than their lifetime, tenant by tenant; the number deleted. */
    public Mono<Long> purge(Flux<TenantId> tenants) {
        var cutoff = clock.instant().minus(KEY_LIFETIME);
        return tenants.concatMap(tenant -> within(tenant, records.deleteClaimedBefore(tenant, cutoff)))
                .reduce(0L, Long::sum);
    }

    private static Mono<Decision> decide(IdempotencyRecords.Recorded recorded, String requestHash) {
        if (!recorded.requestHash().equals(requestHash)) {
            return Mono.error(new DomainException(KEY_REUSED, "This Idempotency-Key was used for a different request; "
                    + "use a new key for a new request."));
        }
        Optional<IdempotentResponse> response = recorded.response();
        if (response.isPresent() && response.get().withheld()) {
            IdempotentResponse withheld = response.get();
            return Mono.error(new DomainException(ANSWER_WITHHELD, "The request under this Idempotency-Key succeeded ("
                    + withheld.status() + (withheld.location() == null ? "" : ", " + withheld.location())
                    + "), but its answer held a secret that is shown only once and was not kept."));
        }
        return response.<Mono<Decision>>map(stored -> Mono.just(new Replay(stored))).orElseGet(() -> Mono.error(inProgress()));
    }

    private static DomainException inProgress() {
        return new DomainException(IN_PROGRESS, "A request with this Idempotency-Key has not finished. Retry later; if it "
                + "never finishes, check whether it took effect before using a new key.");
    }

    private <T> Mono<T> within(TenantId tenant, Mono<T> work) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> work));
    }
}
