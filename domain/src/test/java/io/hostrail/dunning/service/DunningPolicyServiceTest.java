package io.hostrail.dunning.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.audit.model.AuditChain;
import io.hostrail.audit.model.AuditEntry;
import io.hostrail.audit.model.AuditQuery;
import io.hostrail.audit.model.AuditRecord;
import io.hostrail.audit.port.out.AuditLog;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.dunning.model.DunningPolicy;
import io.hostrail.dunning.port.out.DunningPolicies;
import io.hostrail.dunning.service.DunningPolicyService.PolicyDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.time.SettableClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The dunning policy service with in-memory ports: defaults, saving with the version, refusals that change nothing. */
class DunningPolicyServiceTest {

    private static final TenantId TENANT = new TenantId(UUID.fromString("01959a3c-2f4d-7000-8000-0000000000bb"));
    private static final Principal STAFF = new Principal(TENANT, UUID.fromString("01959a3c-2f4d-7000-8000-000000000002"),
            "ops@example.com", UserKind.STAFF, null, Set.of(), Set.of(), null);

    private final InMemoryPolicies policies = new InMemoryPolicies();
    private final InMemoryAuditLog auditLog = new InMemoryAuditLog();
    private final UnitOfWork unitOfWork = new DirectUnitOfWork();
    private final DunningPolicyService service = new DunningPolicyService(policies, unitOfWork,
            new AuditTrail(auditLog, unitOfWork, SettableClock.at("2026-12-01T00:00:00Z")));

    @Test
    @DisplayName("a tenant that never saved a policy dunns with the defaults, version 0")
    void defaults() {
        StepVerifier.create(service.get(STAFF))
                .as("the defaults")
                .assertNext(policy -> {
                    assertThat(policy.reminderOffsets()).containsExactly(-3, 0, 3, 7, 14);
                    assertThat(policy.suspendAfterDays()).isEqualTo(14);
                    assertThat(policy.terminateAfterDays()).isNull();
                    assertThat(policy.version()).isZero();
                })
                .verifyComplete();
    }

    @Test
    @DisplayName("a policy is saved sorted with the version read, audited, and a stale version is refused")
    void saves() {
        PolicyDraft draft = new PolicyDraft(List.of(7, -2, 0), List.of(5, 1), 6, 20);
        StepVerifier.create(service.update(STAFF, draft, 0))
                .as("saved")
                .assertNext(saved -> {
                    assertThat(saved.reminderOffsets()).containsExactly(-2, 0, 7);
                    assertThat(saved.retryDays()).containsExactly(1, 5);
                    assertThat(saved.version()).isEqualTo(1);
                })
                .verifyComplete();
        StepVerifier.create(service.update(STAFF, draft, 0))
                .as("stale")
                .expectErrorSatisfies(error -> assertThat(((DomainException) error).code())
                        .isEqualTo(DunningPolicyService.STALE))
                .verify();
        assertThat(auditLog.actions()).containsExactly("settings.dunning_updated");
    }

    @Test
    @DisplayName("every bad field is named, and nothing is saved or audited")
    void refusesBadFields() {
        PolicyDraft bad = new PolicyDraft(List.of(3, 3), List.of(0), 10, 10);
        StepVerifier.create(service.update(STAFF, bad, 0))
                .as("refused")
                .expectErrorSatisfies(error -> {
                    DomainException refused = (DomainException) error;
                    assertThat(refused.code()).isEqualTo(DunningPolicyService.INVALID);
                    assertThat(refused.violations()).extracting(FieldViolation::field)
                            .containsExactly("reminderOffsets", "retryDays", "terminateAfterDays");
                })
                .verify();
        assertThat(policies.saved).isEmpty();
        assertThat(auditLog.actions()).isEmpty();
    }

    private static final class InMemoryPolicies implements DunningPolicies {

        final Map<TenantId, DunningPolicy> saved = new HashMap<>();

        @Override
        public Mono<DunningPolicy> find(TenantId tenant) {
            return Mono.justOrEmpty(saved.get(tenant));
        }

        @Override
        public Mono<DunningPolicy> save(DunningPolicy policy, long expectedVersion) {
            return Mono.fromSupplier(() -> {
                long current = saved.containsKey(policy.tenant()) ? saved.get(policy.tenant()).version() : 0;
                if (current != expectedVersion) {
                    return null;
                }
                DunningPolicy stored = new DunningPolicy(policy.tenant(), policy.reminderOffsets(), policy.retryDays(),
                        policy.suspendAfterDays(), policy.terminateAfterDays(), expectedVersion + 1);
                saved.put(policy.tenant(), stored);
                return stored;
            });
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

    private static final class InMemoryAuditLog implements AuditLog {

        private final List<AuditRecord> records = new ArrayList<>();

        List<String> actions() {
            return records.stream().map(r -> r.entry().action()).toList();
        }

        @Override
        public Mono<AuditRecord> append(AuditEntry entry) {
            return Mono.fromSupplier(() -> {
                AuditRecord record = AuditChain.append(UUID.randomUUID(), records.isEmpty() ? null : records.getLast(),
                        entry);
                records.add(record);
                return record;
            });
        }

        @Override
        public Flux<AuditRecord> read(UUID tenantId, long fromSequence, int limit) {
            return Flux.fromIterable(records).skip(fromSequence - 1).take(limit);
        }

        @Override
        public Mono<ChainHead> head(UUID tenantId) {
            return records.isEmpty() ? Mono.empty()
                    : Mono.just(new ChainHead(records.getLast().sequence(), records.getLast().hash()));
        }

        @Override
        public Flux<AuditRecord> search(AuditQuery query) {
            return Flux.fromIterable(records);
        }
    }
}
