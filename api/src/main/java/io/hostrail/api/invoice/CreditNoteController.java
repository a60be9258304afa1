package io.hostrail.api.invoice;

import io.hostrail.api.invoice.InvoiceController.TaxResponse;
import io.hostrail.identity.model.Principal;
import io.hostrail.invoice.model.CreditNote;
import io.hostrail.invoice.model.CreditNoteLine;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.CreditNoteService.CreditNoteRequest;
import io.hostrail.invoice.service.CreditNoteService.Filter;
import io.hostrail.invoice.service.CreditNoteService.LineRequest;
import io.hostrail.shared.model.Money;
import io.swagger.v3.oas.annotations.Operation;
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
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Credit notes", description = """
        Corrections and partial refunds of finalized invoices, numbered from their own gapless sequence and immutable
        once issued. Client users see their own customer's credit notes only.""")
@SecurityRequirement(name = "bearer")
public class CreditNoteController {

    record CreditNoteLineBody(
            @Schema(example = "Refund for 10 days of downtime, December 2026") @Size(max = 500) String description,
            @Schema(example = "6.42", description = """
                    More than zero, in the invoice's currency; net or tax-inclusive as the invoice's taxBasis says, as its
                    own lines are""") @Size(max = 40) String amount,
            @Schema(description = "The invoice line this corrects, if any; it then gives back at most what is left of it")
            UUID invoiceLineId) {

        LineRequest request() {
            return new LineRequest(description, amount, invoiceLineId);
        }
    }

    record CreditNoteBody(
            @Schema(example = "Service outage on 2 December 2026", description = "Required, at most 500 characters")
            @Size(max = 500) String reason,
            @Size(min = 1, max = 200) List<@Valid CreditNoteLineBody> lines) {

        CreditNoteRequest request() {
            return new CreditNoteRequest(reason, lines == null ? null
                    : lines.stream().map(line -> line == null ? null : line.request()).toList());
        }
    }

    record CreditNoteLineResponse(UUID id, UUID invoiceLineId, String description,
            @Schema(example = "6.42") String amount, String net, String tax, String total) {

        static CreditNoteLineResponse of(CreditNoteLine l) {
            return new CreditNoteLineResponse(l.id(), l.invoiceLineId(), l.description(), text(l.amount()), text(l.net()),
                    text(l.tax()), text(l.total()));
        }
    }

    record CreditNoteResponse(UUID id, @Schema(example = "CN-2026-000001") String number, UUID invoiceId,
            @Schema(example = "INV-2026-000042") String invoiceNumber, UUID customerId,
            @Schema(example = "EUR") String currency, String reason, List<CreditNoteLineResponse> lines,
            @Schema(description = "Tax given back per rate, in the invoice's order") List<TaxResponse> taxes,
            String subtotal, String taxTotal, String total,
            @Schema(description = "Taken off the invoice's amount due") String appliedToInvoice,
            @Schema(description = "Given to the customer as credit: what had already been paid on the invoice")
            String toCredit,
            Instant issuedAt) {

        static CreditNoteResponse of(CreditNote c) {
            return new CreditNoteResponse(c.id(), c.number(), c.invoiceId(), c.invoiceNumber(), c.customerId(),
                    c.currency().getCurrencyCode(), c.reason(), c.lines().stream().map(CreditNoteLineResponse::of).toList(),
                    c.taxes().stream().map(TaxResponse::of).toList(), text(c.subtotal()), text(c.taxTotal()),
                    text(c.total()), text(c.appliedToInvoice()), text(c.toCredit()), c.issuedAt());
        }
    }

    record CreditNotePage(List<CreditNoteResponse> items, String nextCursor) {
    }

    private final CreditNoteService creditNotes;

    public CreditNoteController(CreditNoteService creditNotes) {
        this.creditNotes = creditNotes;
    }

    @PostMapping("/invoices/{id}/credit-notes")
    @PreAuthorize("hasAuthority('invoice:write')")
    @Operation(summary = "Issue a credit note on an invoice", description = """
            For an open, paid or uncollectible invoice, never a draft or a void one. Its lines are taxed as the invoice
            was (its rates, basis and rounding). What it gives back up to the invoice's amount due is taken off what is
            due, and an open invoice with nothing left due is paid; the rest, what was already paid, goes to the
            customer's credit. All credit notes of an invoice give back at most its total (409
            credit_note.exceeds_invoice), and a line naming an invoice line at most what is left of that line (409
            credit_note.exceeds_line). Takes the next number of the tenant's gapless credit note sequence, records the
            ledger movement and publishes credit_note.issued, all at once.""")
    public Mono<ResponseEntity<CreditNoteResponse>> issue(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody CreditNoteBody body) {
        return creditNotes.issue(actor, id, body.request()).map(c -> ResponseEntity
                .created(URI.create("/api/v1/credit-notes/" + c.id())).body(CreditNoteResponse.of(c)));
    }

    @GetMapping("/credit-notes")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "List credit notes", description = """
            Oldest first. Filter by invoice and customer; pass nextCursor as after. A client user gets its own customer's
            only.""")
    public Mono<CreditNotePage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) UUID invoiceId, @RequestParam(required = false) UUID customerId,
            @RequestParam(required = false) UUID after, @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return creditNotes.list(actor, new Filter(invoiceId, customerId, after, limit)).map(CreditNoteResponse::of)
                .collectList()
                .map(items -> new CreditNotePage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/credit-notes/{id}")
    @PreAuthorize("hasAuthority('invoice:read')")
    @Operation(summary = "Get a credit note with its lines and taxes")
    public Mono<CreditNoteResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return creditNotes.get(actor, id).map(CreditNoteResponse::of);
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
