package io.hostrail.api.payment;

import io.hostrail.identity.model.Principal;
import io.hostrail.payment.model.WebhookEvent;
import io.hostrail.payment.service.WebhookCatchUpService;
import io.hostrail.payment.service.WebhookService;
import io.hostrail.payment.service.WebhookService.Filter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/webhook-events")
@Tag(name = "Webhooks")
@SecurityRequirement(name = "bearer")
public class WebhookEventController {

    record WebhookEventResponse(UUID id, @Schema(example = "stripe") String provider,
            @Schema(example = "evt_1Pgc76B7WZ01zgkWwyRHS12y") String eventId,
            @Schema(example = "payment_intent.succeeded") String eventType, Instant receivedAt,
            @Schema(allowableValues = {"received", "processed", "unhandled", "failed"}) String status,
            @Schema(description = "What processing did, or why it did nothing") String outcome, int attempts,
            Instant processedAt,
            @Schema(description = "The raw body as delivered; only when one event is read") String payload) {

        static WebhookEventResponse of(WebhookEvent e, boolean withPayload) {
            return new WebhookEventResponse(e.id(), e.provider().wireName(), e.eventId(), e.eventType(),
                    e.receivedAt(), e.status().wireName(), e.outcome(), e.attempts(), e.processedAt(),
                    withPayload ? e.payload() : null);
        }
    }

    record WebhookEventPage(List<WebhookEventResponse> items, String nextCursor) {
    }

    record CatchUpBody(@Schema(allowableValues = {"stripe"}) @Size(max = 20) String provider,
            @Schema(description = "From when; three days ago when absent, at most 30 days (what Stripe keeps)")
            Instant since) {
    }

    record CatchUpResponse(String provider, Instant since,
            @Schema(description = "Events the provider listed") int fetched,
            @Schema(description = "Of them, stored now and queued for processing") int stored,
            @Schema(description = "Of them, delivered before") int alreadyKnown) {
    }

    private final WebhookService webhooks;
    private final WebhookCatchUpService catchUps;

    public WebhookEventController(WebhookService webhooks, WebhookCatchUpService catchUps) {
        this.webhooks = webhooks;
        this.catchUps = catchUps;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "List provider webhook deliveries", description = """
            Oldest first; pass nextCursor as after. status=unhandled lists the event types Hostrail does not act on,
            status=failed those whose effect could not be made.""")
    public Mono<WebhookEventPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) @Schema(allowableValues = {"stripe", "paypal"}) String provider,
            @RequestParam(required = false) @Schema(allowableValues = {"received", "processed", "unhandled", "failed"})
            String status,
            @RequestParam(required = false) @Schema(example = "payment_intent.succeeded") String type,
            @RequestParam(required = false) UUID after, @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return webhooks.list(actor, new Filter(provider, status, type, after, limit))
                .map(event -> WebhookEventResponse.of(event, false)).collectList()
                .map(items -> new WebhookEventPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('payment:read')")
    @Operation(summary = "Inspect a webhook delivery, with its raw body")
    public Mono<WebhookEventResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return webhooks.get(actor, id).map(event -> WebhookEventResponse.of(event, true));
    }

    @PostMapping("/{id}/replay")
    @PreAuthorize("hasAuthority('payment:write')")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Process a webhook delivery again", description = """
            For one that failed or was not acted on, once the cause is fixed; processed again asynchronously. One
            already processed is 409 webhook_event.already_processed: its effect is made.""")
    public Mono<WebhookEventResponse> replay(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return webhooks.replay(actor, id).map(event -> WebhookEventResponse.of(event, false));
    }

    @PostMapping("/catch-up")
    @PreAuthorize("hasAuthority('payment:write')")
    @Operation(summary = "Catch up on webhooks that never arrived", description = """
            Reads the provider's own event log (Stripe's GET /v1/events) since a time and stores every event not
            delivered before, as its delivery would have been: processed the same way, once. Every instance also does
            this hourly for the last two hours (hostrail.payments.catch-up.*). PayPal is refused (400): it redelivers a
            webhook for three days. Stripe unreachable partway is 503 with the counts so far in detail; what was
            stored stays stored, and running it again stores only the rest.""")
    public Mono<CatchUpResponse> catchUp(@AuthenticationPrincipal Principal actor, @RequestBody CatchUpBody body) {
        return catchUps.catchUp(actor, body.provider(), body.since()).map(result -> new CatchUpResponse(
                result.provider().wireName(), result.since(), result.fetched(), result.stored(),
                result.alreadyKnown()));
    }
}
