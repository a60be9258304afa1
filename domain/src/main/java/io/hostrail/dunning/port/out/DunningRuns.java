package io.hostrail.dunning.port.out;

import io.hostrail.dunning.model.DunningRun;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface DunningRuns {

    Mono<DunningRun> insert(DunningRun run);

    Mono<DunningRun> find(TenantId tenant, UUID id);

    /** Newest first. */
    Flux<DunningRun> list(TenantId tenant, UUID beforeId, int limit);

    /** Adds to the counts and beats the heart; joins the caller's transaction, so it counts only what commits. */
    Mono<Void> count(TenantId tenant, UUID runId, DunningRun.Progress delta, Instant at);

    /** Counts a failed invoice and keeps its error as the run's last. */
    Mono<Void> fail(TenantId tenant, UUID runId, String error, Instant at);

    Mono<DunningRun> finish(TenantId tenant, UUID runId, DunningRun.Status status, String lastError, Instant at);
}
