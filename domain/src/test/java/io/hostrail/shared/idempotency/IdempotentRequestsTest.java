package io.hostrail.shared.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.idempotency.IdempotentRequests.Proceed;
import io.hostrail.shared.idempotency.IdempotentRequests.Replay;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.IdempotencyRecords;
import io.hostrail.shared.port.out.UnitOfWork;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class IdempotentRequestsTest {

    private static final TenantId TENANT = new TenantId(UUID.randomUUID());
    private static final UUID CALLER = UUID.randomUUID();
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final IdempotentResponse CREATED =
            new IdempotentResponse(201, "application/json", "/api/v1/customers/1", "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                    false);

    private final InMemoryRecords records = new InMemoryRecords();
    private final IdempotentRequests requests = new IdempotentRequests(records, new DirectUnitOfWork(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    @DisplayName("the first request under a key proceeds; the same one again while it runs is told it is in progress")
    void firstProceedsSecondWaits() {
        StepVerifier.create(requests.begin(TENANT, CALLER, "k1", "hash-a")).expectNext(new Proceed()).verifyComplete();
        StepVerifier.create(requests.begin(TENANT, CALLER, "k1", "hash-a"))
                .expectErrorSatisfies(error -> assertThat(((DomainException) error).code())
                        .isEqualTo(IdempotentRequests.IN_PROGRESS))
                .verify();
    }

    @Test
    @DisplayName("a completed request is replayed to the same request and refused to a different one")
    void completedIsReplayed() {
        StepVerifier.create(requests.begin(TENANT, CALLER, "k1", "hash-a")
                        .then(requests.complete(TENANT, CALLER, "k1", CREATED))
                        .then(requests.begin(TENANT, CALLER, "k1", "hash-a")))
                .expectNext(new Replay(CREATED)).verifyComplete();
        StepVerifier.create(requests.begin(TENANT, CALLER, "k1", "hash-b"))
                .expectErrorSatisfies(error -> assertThat(((DomainException) error).code())
                        .isEqualTo(IdempotentRequests.KEY_REUSED))
                .verify();
    }

    @Test
    @DisplayName("a released key may be claimed again; another caller's key is independent")
    void releaseAndScope() {
        StepVerifier.create(requests.begin(TENANT, CALLER, "k1", "hash-a")
                        .then(requests.release(TENANT, CALLER, "k1"))
                        .then(requests.begin(TENANT, CALLER, "k1", "hash-b")))
                .expectNext(new Proceed()).verifyComplete();
        StepVerifier.create(requests.begin(TENANT, UUID.randomUUID(), "k1", "hash-c")).expectNext(new Proceed()).verifyComplete();
    }

    @Test
    @DisplayName("keys older than a day are purged")
    void purge() {
        records.claim(TENANT, CALLER, "old", "h", NOW.minus(Duration.ofHours(25)), Instant.MIN).block();
        records.claim(TENANT, CALLER, "fresh", "h", NOW.minus(Duration.ofHours(1)), Instant.MIN).block();
        StepVerifier.create(requests.purge(Flux.just(TENANT))).expectNext(1L).verifyComplete();
        assertThat(records.rows).containsOnlyKeys(TENANT.value() + "/" + CALLER + "/fresh");
    }

    @Test
    @DisplayName("an answer holding a one-time secret is not replayed; the retry is told the request succeeded")
    void withheldAnswers() {
        StepVerifier.create(requests.begin(TENANT, CALLER, "k1", "hash-a")
                        .then(requests.complete(TENANT, CALLER, "k1", IdempotentResponse.withheld(201, "/api/v1/api-keys/7")))
                        .then(requests.begin(TENANT, CALLER, "k1", "hash-a")))
                .expectErrorSatisfies(error -> {
                    assertThat(((DomainException) error).code()).isEqualTo(IdempotentRequests.ANSWER_WITHHELD);
                    assertThat(error.getMessage()).contains("/api/v1/api-keys/7");
                })
                .verify();
    }

    @Test
    @DisplayName("a key older than a day is free again, even before the purge removed it")
    void expiredKeysAreFree() {
        records.claim(TENANT, CALLER, "stale", "hash-a", NOW.minus(Duration.ofHours(25)), Instant.MIN).block();
        StepVerifier.create(requests.begin(TENANT, CALLER, "stale", "hash-b")).expectNext(new Proceed()).verifyComplete();
    }

    @Test
    @DisplayName("keys are 1 to 255 visible ASCII characters")
    void keyFormat() {
        IdempotentRequests.requireValidKey("9b2f3c1e-5d0a-4c61-8f5e-2d3c4b5a6f70");
        for (String bad : new String[] {"", "x".repeat(256), "with space", "ümlaut"}) {
            assertThatThrownBy(() -> IdempotentRequests.requireValidKey(bad)).isInstanceOf(DomainException.class);
        }
    }

    private static final class DirectUnitOfWork implements UnitOfWork {

        @Override
        public <T> Mono<T> inTransaction(Supplier<Mono<T>> work) {
            return Mono.defer(work);
        }

        @Override
        public <T> Flux<T> inTransactionMany(Supplier<Flux<T>> work) {
            return Flux.defer(work);
        }
    }

    private static final class InMemoryRecords implements IdempotencyRecords {

        private record Row(String hash, Instant claimedAt, IdempotentResponse response) {
        }

        final Map<String, Row> rows = new ConcurrentHashMap<>();

        private static String id(TenantId tenant, UUID caller, String key) {
            return tenant.value() + "/" + caller + "/" + key;
        }

        @Override
        public Mono<Boolean> claim(TenantId tenant, UUID caller, String key, String requestHash, Instant now,
                Instant expiredBefore) {
            return Mono.fromSupplier(() -> {
                Row claimed = new Row(requestHash, now, null);
                Row after = rows.compute(id(tenant, caller, key),
                        (id, row) -> row == null || row.claimedAt().isBefore(expiredBefore) ? claimed : row);
                return after == claimed;
            });
        }

        @Override
        public Mono<Recorded> find(TenantId tenant, UUID caller, String key, Instant expiredBefore) {
            return Mono.justOrEmpty(rows.get(id(tenant, caller, key)))
                    .filter(row -> !row.claimedAt().isBefore(expiredBefore))
                    .map(row -> new Recorded(row.hash(), Optional.ofNullable(row.response())));
        }

        @Override
        public Mono<Void> complete(TenantId tenant, UUID caller, String key, IdempotentResponse response, Instant now) {
            return Mono.fromRunnable(() -> rows.computeIfPresent(id(tenant, caller, key),
                    (id, row) -> new Row(row.hash(), row.claimedAt(), response)));
        }

        @Override
        public Mono<Void> release(TenantId tenant, UUID caller, String key) {
            return Mono.fromRunnable(() -> rows.computeIfPresent(id(tenant, caller, key),
                    (id, row) -> row.response() == null ? null : row));
        }

        @Override
        public Mono<Long> deleteClaimedBefore(TenantId tenant, Instant cutoff) {
            return Mono.fromSupplier(() -> {
                long before = rows.size();
                rows.values().removeIf(row -> row.claimedAt().isBefore(cutoff));
                return before - rows.size();
            });
        }
    }
}
