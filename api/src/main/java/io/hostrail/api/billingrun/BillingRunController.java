package io.hostrail.api.billingrun;

import io.hostrail.api.config.BackgroundWork;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.port.out.BillingRuns;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.identity.model.Principal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/billing-runs")
@Tag(name = "Billing runs", description = """
        Renewing ended periods and invoicing the periods that start within the renewal lead days. Runs every hour on
        every instance (safe: no period is ever invoiced twice) and on demand; progress is visible while it runs.""")
@SecurityRequirement(name = "bearer")
public class BillingRunController {

    record ProgressResponse(int renewed, int cancelled, int invoiced, int skipped, int failed) {
    }

    record RunResponse(UUID id,
            @Schema(allowableValues = {"running", "completed", "failed"}) String status,
            @Schema(description = "Running, but its instance stopped reporting more than 5 minutes ago: it died, and "
                    + "the next run picks up what it left") boolean stalled,
            @Schema(allowableValues = {"manual", "schedule"}) String trigger, UUID requestedBy, String instanceId,
            @Schema(description = "Periods ended by then are renewed") Instant asOf,
            @Schema(description = "Periods starting by then are invoiced") Instant horizon, Instant startedAt,
            Instant heartbeatAt, Instant finishedAt, ProgressResponse progress, String lastError) {

        static RunResponse of(BillingRun r, Instant now) {
            BillingRun.Progress p = r.progress();
            return new RunResponse(r.id(), r.status().wireName(), r.stalled(now), r.trigger().wireName(), r.requestedBy(),
                    r.instanceId(), r.asOf(), r.horizon(), r.startedAt(), r.heartbeatAt(), r.finishedAt(),
                    new ProgressResponse(p.renewed(), p.cancelled(), p.invoiced(), p.skipped(), p.failed()), r.lastError());
        }
    }

    record RunPage(List<RunResponse> items, String nextCursor) {
    }

    record FailureResponse(UUID subscriptionId, String error, Instant occurredAt) {

        static FailureResponse of(BillingRuns.Failure f) {
            return new FailureResponse(f.subscriptionId(), f.error(), f.occurredAt());
        }
    }

    private final BillingRunService runs;
    private final BackgroundWork background;
    private final Clock clock;

    public BillingRunController(BillingRunService runs, BackgroundWork background, Clock clock) {
        this.runs = runs;
        this.background = background;
        this.clock = clock;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Start a billing run now", description = """
            Answers 202 at once with the run; follow its progress at the Location. Starting one while another runs is
            safe: each subscription is billed by whichever run locks it first.""")
    public Mono<ResponseEntity<RunResponse>> start(@AuthenticationPrincipal Principal actor) {
        return runs.start(actor)
                .doOnNext(run -> background.launch("billing run " + run.id(), runs.execute(run),
                        done -> done.status().wireName() + ": " + done.progress()))
                .map(run -> ResponseEntity.accepted().location(URI.create("/api/v1/billing-runs/" + run.id()))
                        .body(RunResponse.of(run, clock.instant())));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "List billing runs", description = "Newest first; pass nextCursor as before.")
    public Mono<RunPage> list(@AuthenticationPrincipal Principal actor, @RequestParam(required = false) UUID before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        Instant now = clock.instant();
        return runs.list(actor, before, limit).map(run -> RunResponse.of(run, now)).collectList()
                .map(items -> new RunPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "A billing run and its progress")
    public Mono<RunResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return runs.get(actor, id).map(run -> RunResponse.of(run, clock.instant()));
    }

    @GetMapping("/{id}/failures")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "The subscriptions a run could not bill, and why", description = """
            A failed subscription is tried again by the next run; fix its cause (a price missing for its cycle, say)
            first.""")
    public Mono<List<FailureResponse>> failures(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return runs.failures(actor, id, limit).map(list -> list.stream().map(FailureResponse::of).toList());
    }
}
