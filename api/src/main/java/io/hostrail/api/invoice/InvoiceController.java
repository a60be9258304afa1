package io.hostrail.api.invoice;

import io.hostrail.identity.model.Principal;
import io.hostrail.invoice.model.Invoice;
import io.hostrail.invoice.model.InvoiceLine;
import io.hostrail.invoice.model.InvoicePricing;
import io.hostrail.invoice.model.InvoiceTax;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.invoice.service.InvoiceService.Filter;
import io.hostrail.invoice.service.InvoiceService.InvoiceDraft;
import io.hostrail.invoice.service.InvoiceService.LineDraft;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.model.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/invoices")
@Tag(name = "Invoices", description = """
        Drafts that staff change freely, finalized into numbered, immutable invoices entered in the ledger. Client users
        see their own customer's finalized invoices only.""")
@SecurityRequirement(name = "bearer")
public class InvoiceController {

    record LineBody(@Schema(example = "Web hosting Pro, December 2026") @Size(max = 500) String description,
            @Schema(example = "1", description = "From 1; defaults to 1") Long quantity,
            @Schema(example = "19.90", description = "Per unit, in the customer's currency; not negative")
            @Size(max = 40) String unitPrice,
            @Schema(example = "0.00", description = "Taken off the line, at most quantity × unit price") @Size(max = 40)
            String discount,
            @Schema(example = "2026-12-01T00:00:00Z") Instant periodStart,
            @Schema(example = "2027-01-01T00:00:00Z") Instant periodEnd,
            @Schema(description = "The product the line sells, if any") UUID productId) {

        LineDraft draft() {
            return new LineDraft(description, quantity, unitPrice, discount, periodStart, periodEnd, productId);
        }
    }

    record InvoiceBody(@Schema(description = "Required when creating; cannot change") UUID customerId,
            @Size(max = 200) List<@Valid LineBody> lines,
            @Schema(example = "Thank you for your business.") @Size(max = 2000) String memo,
            @Schema(example = "2026-12-15T00:00:00Z", description = "Defaults to the day it is finalized") Instant dueAt,
            @Schema(example = "0", description = "Required when updating: the version you read") @PositiveOrZero Long version) {

        InvoiceDraft draft() {
            return new InvoiceDraft(customerId, lines == null ? List.of() : lines.stream().map(LineBody::draft).toList(), memo,
                    dueAt);
        }
    }

    record ApplyCreditBody(@Schema(example = "10.00", description = "Defaults to as much as the credit and the amount due allow")
            @Size(max = 40) String amount) {
    }

    record LineResponse(UUID id, String description, long quantity, String unitPrice, String discount, Instant periodStart,
            Instant periodEnd, UUID productId, UUID subscriptionId, String net, String tax, String total) {

        static LineResponse of(InvoiceLine l) {
            return new LineResponse(l.id(), l.description(), l.quantity(), text(l.unitPrice()), text(l.discount()),
                    l.periodStart(), l.periodEnd(), l.productId(), l.subscriptionId(), text(l.net()), text(l.tax()),
                    text(l.total()));
        }
    }

    record TaxResponse(String name, String percent, boolean compound, String country, String region, String amount) {

        static TaxResponse of(InvoiceTax t) {
            return new TaxResponse(t.name(), t.percent().toPlainString(), t.compound(), t.country(), t.region(),
                    text(t.amount()));
        }
    }

    record InvoiceResponse(UUID id, String number, String status, UUID customerId, String currency,
            List<LineResponse> lines,
            @Schema(description = "Totals per tax rate, in the order they apply") List<TaxResponse> taxes,
            @Schema(example = "exclusive") String taxBasis, @Schema(example = "per_line") String taxRounding,
            @Schema(description = "Why no tax is charged: the reverse-charge note or the customer's exemption") String taxNote,
            String subtotal, String discountTotal, String taxTotal, String total, String creditApplied, String amountPaid,
            @Schema(description = "What credit notes took off the amount due; what they gave back beyond it went to the"
                    + " customer's credit") String credited,
            String amountDue, String memo, Instant issuedAt, Instant dueAt, Instant paidAt, Instant closedAt,
            Instant createdAt, long version) {

        static InvoiceResponse of(Invoice i) {
            InvoicePricing p = i.pricing();
            return new InvoiceResponse(i.id(), i.number(), i.status().wireName(), i.customerId(),
                    i.currency().getCurrencyCode(), p.lines().stream().map(LineResponse::of).toList(),
                    p.taxes().stream().map(TaxResponse::of).toList(), p.basis().name().toLowerCase(Locale.ROOT),
                    p.rounding().name().toLowerCase(Locale.ROOT), p.taxNote(), text(p.subtotal()), text(p.discountTotal()),
                    text(p.taxTotal()), text(p.total()), text(i.creditApplied()), text(i.amountPaid()), text(i.credited()),
                    text(i.amountDue()),
                    i.memo(), i.issuedAt(), i.dueAt(), i.paidAt(), i.closedAt(), i.createdAt(), i.version());
        }
    }

    record InvoicePage(List<InvoiceResponse> items, String nextCursor) {
    }

    private final InvoiceService invoices;

    public InvoiceController(InvoiceService invoices) {
        this.invoices = invoices;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('invoice:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a draft invoice", description = """
            In the customer's currency, with the taxes of its billing address (none under EU reverse charge or an
            exemption, with the note saying why). Nothing is in the ledger until it is finalized.""")
    public Mono<ResponseEntity<InvoiceResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody InvoiceBody body) {
        return invoices.create(actor, body.draft())
                .map(i -> ResponseEntity.created(URI.create("/api/v1/invoices/" + i.id())).body(InvoiceResponse.of(i)));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "List invoices", description = """
            Oldest first. Filter by customer and status; pass nextCursor as after. A client user gets its own finalized
            invoices only.""")
    public Mono<InvoicePage> list(@AuthenticationPrincipal Principal actor, @RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) @Schema(allowableValues = {"draft", "open", "paid", "void", "uncollectible"})
            String status, @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return invoices.list(actor, new Filter(customerId, status, after, limit)).map(InvoiceResponse::of).collectList()
                .map(items -> new InvoicePage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "Get an invoice with its lines and taxes")
    public Mono<InvoiceResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return invoices.get(actor, id).map(InvoiceResponse::of);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Change a draft", description = """
            Replaces its lines, memo and due date; send the version you read. A finalized invoice never changes: correct
            it with a credit note.""")
    public Mono<InvoiceResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody InvoiceBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(InvoiceService.INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return invoices.update(actor, id, body.draft(), body.version()).map(InvoiceResponse::of);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('invoice:write')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a draft", description = "A finalized invoice cannot be deleted; void it instead.")
    public Mono<Void> delete(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return invoices.deleteDraft(actor, id);
    }

    @PostMapping("/{id}/finalize")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Finalize a draft", description = """
            Assigns the next number of the tenant's gapless sequence, reprices it with the taxes in force, enters it in
            the ledger, publishes invoice.finalized and, if the billing settings say so, applies the customer's credit,
            all at once. From then on it is immutable.""")
    public Mono<InvoiceResponse> finalizeDraft(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return invoices.finalizeDraft(actor, id).map(InvoiceResponse::of);
    }

    @PostMapping("/{id}/apply-credit")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Pay an invoice with the customer's credit", description = """
            Moves credit to the invoice in the ledger; the invoice is paid when nothing is left due.""")
    public Mono<InvoiceResponse> applyCredit(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody(required = false) ApplyCreditBody body) {
        return invoices.applyCredit(actor, id, body == null ? null : body.amount()).map(InvoiceResponse::of);
    }

    @PostMapping("/{id}/void")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Void an open invoice", description = """
            Reverses its ledger entries and returns any credit spent on it. An invoice with payments or credit notes is
            corrected with a credit note instead.""")
    public Mono<InvoiceResponse> voidInvoice(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return invoices.voidInvoice(actor, id).map(InvoiceResponse::of);
    }

    @PostMapping("/{id}/mark-uncollectible")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Write off what is still due", description = """
            The receivable becomes bad debt in the ledger; a later payment or credit on the invoice recovers it.""")
    public Mono<InvoiceResponse> markUncollectible(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return invoices.markUncollectible(actor, id).map(InvoiceResponse::of);
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
