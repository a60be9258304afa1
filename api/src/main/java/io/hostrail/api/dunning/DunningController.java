package io.hostrail.api.dunning;

import io.hostrail.api.config.BackgroundWork;
import io.hostrail.dunning.model.DunningRun;
import io.hostrail.dunning.model.DunningSchedule;
import io.hostrail.dunning.model.DunningStep;
import io.hostrail.dunning.model.TakenStep;
import io.hostrail.dunning.service.DunningService;
import io.hostrail.dunning.service.DunningService.InvoiceDunning;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@Tag(name = "Dunning")
@SecurityRequirement(name = "bearer")
public class DunningController {

    record ProgressResponse(
            @Schema(description = "Invoices the run took at least one step on") int invoices,
            @Schema(description = "Payment reminders published") int reminders,
            @Schema(description = "Subscriptions suspended") int suspended,
            @Schema(description = "Subscriptions terminated") int terminated,
            @Schema(description = "Reminders overtaken by a later one, recorded and not sent") int skipped,
            @Schema(description = "Invoices whose steps failed; the next run tries them again") int failed) {
    }

    record RunResponse(UUID id,
            @Schema(allowableValues = {"running", "completed", "failed"}) String status,
            @Schema(description = "Running, but its instance stopped reporting more than 5 minutes ago: it died, and "
                    + "the next run takes the steps it left") boolean stalled,
            @Schema(allowableValues = {"manual", "schedule"}) String trigger, UUID requestedBy, String instanceId,
            @Schema(description = "Steps due by then are taken") Instant asOf, Instant startedAt, Instant heartbeatAt,
            Instant finishedAt, ProgressResponse progress,
            @Schema(description = "The last invoice that failed, and why") String lastError) {

        static RunResponse of(DunningRun r, Instant now) {
            DunningRun.Progress p = r.progress();
            return new RunResponse(r.id(), r.status().wireName(), r.stalled(now), r.trigger().wireName(),
                    r.requestedBy(), r.instanceId(), r.asOf(), r.startedAt(), r.heartbeatAt(), r.finishedAt(),
                    new ProgressResponse(p.invoices(), p.reminders(), p.suspended(), p.terminated(), p.skipped(),
                            p.failed()), r.lastError());
        }
    }

    record RunPage(List<RunResponse> items, String nextCursor) {
    }

    record StepResponse(
            @Schema(example = "reminder:-3", description = "The step's key on the invoice: reminder:<day>, suspend or "
                    + "terminate") String step,
            @Schema(allowableValues = {"reminder", "retry", "suspend", "terminate"}) String kind,
            @Schema(example = "-3", description = "Days after the due date, negative before it") int offsetDays,
            @Schema(allowableValues = {"before_due", "due", "overdue"}, nullable = true) String reminderKind,
            @Schema(allowableValues = {"done", "skipped"}, nullable = true,
                    description = "Absent for a step still to come") String outcome,
            Instant dueAt,
            @Schema(nullable = true) Instant takenAt,
            @Schema(nullable = true) UUID runId,
            @Schema(description = "The subscriptions a suspension or termination changed") List<UUID> subscriptionIds) {

        static StepResponse of(TakenStep t) {
            return of(t.step(), t.outcome().wireName(), t.dueAt(), t.takenAt(), t.runId(), t.subscriptionIds());
        }

        static StepResponse of(DunningSchedule.Upcoming u) {
            return of(u.step(), null, u.dueAt(), null, null, List.of());
        }

        private static StepResponse of(DunningStep s, String outcome, Instant dueAt, Instant takenAt, UUID runId,
                List<UUID> subscriptionIds) {
            return new StepResponse(s.key(), s.kind().wireName(), s.offsetDays(),
                    s.kind() == DunningStep.Kind.REMINDER ? s.reminderKind().wireName() : null, outcome, dueAt,
                    takenAt, runId, subscriptionIds);
        }
    }

    record InvoiceDunningResponse(UUID invoiceId, String number, String status, Instant dueAt,
            @Schema(description = "Steps recorded on the invoice, in the order they fell due") List<StepResponse> taken,
            @Schema(description = "Steps the policy will take while the invoice stays open") List<StepResponse> upcoming) {

        static InvoiceDunningResponse of(InvoiceDunning d) {
            return new InvoiceDunningResponse(d.invoice().id(), d.invoice().number(), d.invoice().status().wireName(),
                    d.invoice().dueAt(), d.taken().stream().map(StepResponse::of).toList(),
                    d.upcoming().stream().map(StepResponse::of).toList());
        }
    }

    private final DunningService dunning;
    private final BackgroundWork background;
    private final Clock clock;

    public DunningController(DunningService dunning, BackgroundWork background, Clock clock) {
        this.dunning = dunning;
        this.background = background;
        this.clock = clock;
    }

    @PostMapping("/api/v1/dunning-runs")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Start a dunning run now", description = """
            Answers 202 at once with the run; follow its progress at the Location. Starting one while another runs is
            safe: each step of each invoice is taken once, by whichever run claims it first.""")
    public Mono<ResponseEntity<RunResponse>> start(@AuthenticationPrincipal Principal actor) {
        return dunning.start(actor)
                .doOnNext(run -> background.launch("dunning run " + run.id(), dunning.execute(run),
                        done -> done.status().wireName() + ": " + done.progress()))
                .map(run -> ResponseEntity.accepted().location(URI.create("/api/v1/dunning-runs/" + run.id()))
                        .body(RunResponse.of(run, clock.instant())));
    }

    @GetMapping("/api/v1/dunning-runs")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "List dunning runs", description = "Newest first; pass nextCursor as before. Staff only.")
    public Mono<RunPage> list(@AuthenticationPrincipal Principal actor, @RequestParam(required = false) UUID before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        Instant now = clock.instant();
        return dunning.list(actor, before, limit).map(run -> RunResponse.of(run, now)).collectList()
                .map(items -> new RunPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/api/v1/dunning-runs/{id}")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "A dunning run and its progress", description = "Staff only.")
    public Mono<RunResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return dunning.get(actor, id).map(run -> RunResponse.of(run, clock.instant()));
    }

    @GetMapping("/api/v1/invoices/{id}/dunning")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "An invoice's dunning steps", description = """
            The steps taken on the invoice and, while it is open, those the policy will take and when. Staff only.""")
    public Mono<InvoiceDunningResponse> ofInvoice(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return dunning.ofInvoice(actor, id).map(InvoiceDunningResponse::of);
    }
}
