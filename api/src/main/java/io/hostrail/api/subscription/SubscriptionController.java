package io.hostrail.api.subscription;

import io.hostrail.identity.model.Principal;
import io.hostrail.shared.model.Money;
import io.hostrail.subscription.model.Period;
import io.hostrail.subscription.model.Subscription;
import io.hostrail.subscription.port.out.Subscriptions.BilledPeriod;
import io.hostrail.subscription.service.SubscriptionService;
import io.hostrail.subscription.service.SubscriptionService.ChangeDraft;
import io.hostrail.subscription.service.SubscriptionService.ChangePreview;
import io.hostrail.subscription.service.SubscriptionService.Filter;
import io.hostrail.subscription.service.SubscriptionService.OptionDraft;
import io.hostrail.subscription.service.SubscriptionService.OrderDraft;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
@RequestMapping("/api/v1/subscriptions")
@Tag(name = "Subscriptions", description = """
        A customer's recurring purchase of a product, from order to termination, and its plan changes with proration.
        Client users see their own customer's subscriptions only.""")
@SecurityRequirement(name = "bearer")
public class SubscriptionController {

    record OptionBody(@Schema(description = "A configurable option of the product") UUID optionId,
            @Schema(example = "2", description = "Within the option's bounds; defaults to 1") @Min(0) Integer quantity) {

        OptionDraft draft() {
            return new OptionDraft(optionId, quantity);
        }
    }

    record OrderBody(@Schema(description = "The customer who orders") UUID customerId,
            @Schema(description = "The product ordered") UUID productId,
            @Schema(example = "monthly", allowableValues = {"monthly", "quarterly", "semi_annual", "annual", "biennial",
                    "triennial"}) @Size(max = 20) String cycle,
            @Schema(example = "1", description = "Defaults to 1") @Min(1) @Max(10_000) Integer quantity,
            @Size(max = 50) List<@Valid OptionBody> options,
            @Schema(example = "0", description = "Days of free trial before the first period is billed; 0 to 365")
            @Min(0) @Max(365) Integer trialDays,
            @Schema(example = "WELCOME10", description = "A coupon to redeem; refused coupons refuse the order")
            @Size(max = 40) String couponCode,
            @Schema(description = """
                    For an add-on product: the customer's subscription it is ordered for, whose product offers it. The \
                    add-on is billed on its own cycle and is suspended, cancelled and terminated with that subscription.""")
            UUID parentSubscriptionId) {

        OrderDraft draft() {
            return new OrderDraft(customerId, productId, cycle, quantity, drafts(options), trialDays, couponCode,
                    parentSubscriptionId);
        }
    }

    record ChangeBody(@Schema(description = "The new product; defaults to the current one") UUID productId,
            @Schema(example = "annual", description = "The new cycle; defaults to the current one") @Size(max = 20)
            String cycle,
            @Schema(example = "1") @Min(1) @Max(10_000) Integer quantity,
            @Schema(description = "The options of the new plan; defaults to the current ones on the same product")
            @Size(max = 50) List<@Valid OptionBody> options) {

        ChangeDraft draft() {
            return new ChangeDraft(productId, cycle, quantity, options == null ? null : drafts(options));
        }
    }

    record ReasonBody(@Schema(example = "Invoice INV-2026-000042 overdue") @Size(max = 500) String reason) {
    }

    record CancelBody(@Schema(example = "true", description = "Cancel when the current period ends (default) or now")
            Boolean atPeriodEnd,
            @Schema(example = "Moving to another provider") @Size(max = 500) String reason) {
    }

    record PeriodResponse(Instant start, Instant end) {

        static PeriodResponse of(Period period) {
            return period == null ? null : new PeriodResponse(period.start(), period.end());
        }
    }

    record OptionResponse(UUID optionId, int quantity) {
    }

    record SubscriptionResponse(UUID id, UUID customerId, UUID productId,
            @Schema(description = "For an add-on: the subscription it is attached to") UUID parentSubscriptionId,
            String cycle, String currency, String status,
            int quantity, List<OptionResponse> options, Instant anchor, Instant trialEnd, PeriodResponse currentPeriod,
            @Schema(description = "When the next period starts and is billed; absent when none will be") Instant nextDueDate,
            boolean cancelAtPeriodEnd, Instant suspendedAt, Instant cancelledAt, Instant terminatedAt, Instant createdAt,
            long version) {

        static SubscriptionResponse of(Subscription s) {
            return new SubscriptionResponse(s.id(), s.customerId(), s.productId(), s.parentId(), s.cycle().wireName(),
                    s.currency().getCurrencyCode(), s.status().wireName(), s.quantity(),
                    s.options().stream().map(o -> new OptionResponse(o.optionId(), o.quantity())).toList(), s.anchor(),
                    s.trialEnd(), PeriodResponse.of(s.currentPeriod()), s.nextDueDate().orElse(null),
                    s.cancelAtPeriodEnd(), s.suspendedAt(), s.cancelledAt(), s.terminatedAt(), s.createdAt(), s.version());
        }
    }

    record OrderResponse(SubscriptionResponse subscription,
            @Schema(description = "The first invoice (first period and setup fees); absent with a trial") UUID invoiceId,
            String invoiceNumber, String invoiceStatus) {
    }

    record ChangeResponse(SubscriptionResponse subscription,
            @Schema(description = "The invoice for the new plan; absent when there is nothing to charge") UUID invoiceId,
            String invoiceNumber, String invoiceStatus,
            @Schema(description = "Credit notes for the unused time of the old plan") List<UUID> creditNoteIds) {
    }

    record SubscriptionPage(List<SubscriptionResponse> items, String nextCursor) {
    }

    record BilledPeriodResponse(Instant start, Instant end, UUID invoiceId, String kind) {

        static BilledPeriodResponse of(BilledPeriod billed) {
            return new BilledPeriodResponse(billed.period().start(), billed.period().end(), billed.invoiceId(),
                    billed.kind().name().toLowerCase(Locale.ROOT));
        }
    }

    record PreviewLineResponse(String description, @Schema(example = "-6.67") String amount, PeriodResponse period) {
    }

    record PreviewResponse(String currency, @Schema(example = "day") String granularity, List<PreviewLineResponse> lines,
            @Schema(description = "Before tax: positive is charged, negative is credited") String net,
            long remainingUnits, long totalUnits, String currentRecurring, String newRecurring,
            SubscriptionResponse after) {

        static PreviewResponse of(ChangePreview p) {
            return new PreviewResponse(p.current().currency().getCurrencyCode(),
                    p.granularity().name().toLowerCase(Locale.ROOT),
                    p.lines().stream().map(l -> new PreviewLineResponse(l.description(), text(l.amount()),
                            PeriodResponse.of(l.period()))).toList(),
                    text(p.proration().net()), p.proration().remainingUnits(), p.proration().totalUnits(),
                    text(p.oldRecurring()), text(p.newRecurring()), SubscriptionResponse.of(p.after()));
        }
    }

    private final SubscriptionService subscriptions;

    public SubscriptionController(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('subscription:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Order a subscription", description = """
            Creates it pending with its first invoice (the first period from now, plus setup fees), finalized at once;
            it becomes active when that invoice is paid (immediately when the customer's credit covers it). With trial
            days it is active straight away and the first period is billed when the trial ends. A product without a
            price for the cycle in the customer's currency, a retired or sold-out product are refused.""")
    public Mono<ResponseEntity<OrderResponse>> order(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody OrderBody body) {
        return subscriptions.order(actor, body.draft()).map(ordered -> ResponseEntity
                .created(URI.create("/api/v1/subscriptions/" + ordered.subscription().id()))
                .body(new OrderResponse(SubscriptionResponse.of(ordered.subscription()),
                        ordered.firstInvoice() == null ? null : ordered.firstInvoice().id(),
                        ordered.firstInvoice() == null ? null : ordered.firstInvoice().number(),
                        ordered.firstInvoice() == null ? null : ordered.firstInvoice().status().wireName())));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('subscription:read')")
    @Operation(summary = "List subscriptions", description = "Oldest first; pass nextCursor as after.")
    public Mono<SubscriptionPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) @Parameter(description = "Only the add-ons of this subscription")
            UUID parentSubscriptionId,
            @RequestParam(required = false) @Schema(allowableValues = {"pending", "active", "suspended", "cancelled",
                    "terminated"}) String status,
            @RequestParam(required = false) UUID after, @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return subscriptions.list(actor, new Filter(customerId, parentSubscriptionId, status, after, limit)).map(SubscriptionResponse::of)
                .collectList()
                .map(items -> new SubscriptionPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('subscription:read')")
    @Operation(summary = "Get a subscription")
    public Mono<SubscriptionResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return subscriptions.get(actor, id).map(SubscriptionResponse::of);
    }

    @GetMapping("/{id}/periods")
    @PreAuthorize("hasAuthority('subscription:read')")
    @Operation(summary = "The periods billed for a subscription and their invoices", description = "Oldest first.")
    public Mono<List<BilledPeriodResponse>> periods(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return subscriptions.billedPeriods(actor, id).map(BilledPeriodResponse::of).collectList();
    }

    @PostMapping("/{id}/activate")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Start a pending subscription by hand", description = """
            For a first invoice paid outside Hostrail. Periods count from the start of the first period billed.""")
    public Mono<SubscriptionResponse> activate(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return subscriptions.activate(actor, id).map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/suspend")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Suspend the service", description = "Billing periods keep running while it is suspended.")
    public Mono<SubscriptionResponse> suspend(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody(required = false) ReasonBody body) {
        return subscriptions.suspend(actor, id, body == null ? null : body.reason()).map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/unsuspend")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Resume a suspended subscription")
    public Mono<SubscriptionResponse> unsuspend(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return subscriptions.unsuspend(actor, id).map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/cancel")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Cancel at the end of the period or now", description = """
            At period end the subscription keeps running until then and is not billed again
            (subscription.cancellation_scheduled); now it stops at once (subscription.cancelled).""")
    public Mono<SubscriptionResponse> cancel(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody(required = false) CancelBody body) {
        boolean atPeriodEnd = body == null || body.atPeriodEnd() == null || body.atPeriodEnd();
        return subscriptions.cancel(actor, id, atPeriodEnd, body == null ? null : body.reason())
                .map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/withdraw-cancellation")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Keep a subscription that was to be cancelled at the end of its period")
    public Mono<SubscriptionResponse> withdrawCancellation(@AuthenticationPrincipal Principal actor,
            @PathVariable UUID id) {
        return subscriptions.withdrawCancellation(actor, id).map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/terminate")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Remove the service for good", description = "Final: a terminated subscription never changes again.")
    public Mono<SubscriptionResponse> terminate(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody(required = false) ReasonBody body) {
        return subscriptions.terminate(actor, id, body == null ? null : body.reason()).map(SubscriptionResponse::of);
    }

    @PostMapping("/{id}/change-preview")
    @PreAuthorize("hasAuthority('subscription:read')")
    @Operation(summary = "Preview a plan change", description = """
            The exact lines a change of product, cycle, quantity or options would bring now, before tax: a credit for
            the unused part of the current period at the old price and the new plan for the rest of it (a whole new
            period when the cycle changes), prorated to the day or second as the billing settings say. Nothing
            changes.""")
    public Mono<PreviewResponse> previewChange(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody ChangeBody body) {
        return subscriptions.previewChange(actor, id, body.draft()).map(PreviewResponse::of);
    }

    @PostMapping("/{id}/change")
    @PreAuthorize("hasAuthority('subscription:write')")
    @Operation(summary = "Change the plan now", description = """
            Applies what change-preview shows: each period already invoiced that has time left gets a credit note for
            its unused part at the old price (money paid goes to the customer's credit, money still due comes off that
            invoice), and one invoice charges the new plan for the same time, or for a whole new period from now when
            the cycle changes; credit is applied to it as the billing settings say. Setup fees are not charged again.
            During a trial nothing is invoiced: the new plan is billed when the trial ends. Publishes
            subscription.plan_changed.""")
    public Mono<ChangeResponse> change(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody ChangeBody body) {
        return subscriptions.changePlan(actor, id, body.draft()).map(changed -> new ChangeResponse(
                SubscriptionResponse.of(changed.subscription()),
                changed.invoice() == null ? null : changed.invoice().id(),
                changed.invoice() == null ? null : changed.invoice().number(),
                changed.invoice() == null ? null : changed.invoice().status().wireName(),
                changed.creditNotes().stream().map(note -> note.id()).toList()));
    }

    private static List<OptionDraft> drafts(List<OptionBody> options) {
        return options == null ? List.of() : options.stream().map(OptionBody::draft).toList();
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
