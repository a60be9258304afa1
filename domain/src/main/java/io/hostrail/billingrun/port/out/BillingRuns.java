package io.hostrail.billingrun.port.out;

import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface BillingRuns {

    /** One subscription the run could not bill, and why. */
    record Failure(UUID subscriptionId, String error, Instant occurredAt) {
    }

    Mono<BillingRun> insert(BillingRun run);

    Mono<BillingRun> find(TenantId tenant, UUID id);

    /** Newest first. */
    Flux<BillingRun> list(TenantId tenant, UUID beforeId, int limit);

    /** Adds to the counts and beats the heart; joins the caller's transaction, so it counts only what commits. */
    Mono<Void> count(TenantId tenant, UUID runId, BillingRun.Progress delta, Instant at);

    Mono<Void> fail(TenantId tenant, UUID runId, UUID subscriptionId, String error, Instant at);

    Mono<BillingRun> finish(TenantId tenant, UUID runId, BillingRun.Status status, String lastError, Instant at);

    Flux<Failure> failures(TenantId tenant, UUID runId, int limit);
}
