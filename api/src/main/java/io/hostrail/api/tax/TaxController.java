package io.hostrail.api.tax;

import io.hostrail.identity.model.Principal;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.service.TaxService;
import io.hostrail.tax.service.TaxService.QuoteDraft;
import io.hostrail.tax.service.TaxService.RuleDraft;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@Tag(name = "Taxes", description = "Tax rules per country and region, and what they charge on a set of lines.")
@SecurityRequirement(name = "bearer")
public class TaxController {

    record RuleBody(@Schema(example = "VAT") @NotBlank @Size(max = 100) String name,
            @Schema(example = "DE", description = "ISO 3166-1 alpha-2") @NotBlank @Size(max = 2) String country,
            @Schema(example = "QC", description = "ISO 3166-2 subdivision, for a regional tax; absent for the whole country")
            @Size(max = 3) String region,
            @Schema(example = "19", description = "0 to 100, at most 4 decimals") @NotBlank @Size(max = 12) String percent,
            @Schema(example = "false", description = "Charged on the price plus the taxes before it") Boolean compound,
            @Schema(example = "0", description = "Order among the place's rules; matters for compound taxes")
            @PositiveOrZero Integer sequence,
            @Schema(example = "0", description = "Required when updating: the version you read") @PositiveOrZero Long version) {

        RuleDraft draft() {
            return new RuleDraft(name, country, region, percent, compound, sequence);
        }
    }

    record RuleResponse(UUID id, String name, String country, String region, String percent, boolean compound,
            int sequence, long version) {

        static RuleResponse of(TaxRule r) {
            return new RuleResponse(r.id(), r.rate().name(), r.country(), r.region(), r.rate().percent().toPlainString(),
                    r.rate().compound(), r.sequence(), r.version());
        }
    }

    record RuleList(List<RuleResponse> items) {
    }

    record QuoteBody(
            @Schema(description = "A customer: its billing address is the place, its currency the default, and its VAT "
                    + "number decides EU reverse charge") UUID customerId,
            @Schema(example = "EUR", description = "Required without a customer") @Size(max = 3) String currency,
            @Schema(example = "DE", description = "Required without a customer") @Size(max = 2) String country,
            @Schema(example = "QC") @Size(max = 3) String region,
            @Schema(example = "exclusive", allowableValues = {"exclusive", "inclusive"},
                    description = "Default: the tenant's billing settings") String basis,
            @Schema(example = "per_line", allowableValues = {"per_line", "per_invoice"},
                    description = "Default: the tenant's billing settings") String rounding,
            @Schema(example = "[\"9.99\", \"100.00\"]", description = "Line amounts, net or gross as basis says")
            @NotNull @Size(min = 1, max = 500) List<@NotNull @Size(max = 24) String> amounts) {
    }

    record TaxAmount(String name, String percent, String amount) {
    }

    record QuoteLine(String net, List<TaxAmount> taxes, String gross) {
    }

    record QuoteResponse(String currency, String basis, String rounding, List<QuoteLine> lines, List<TaxAmount> totals,
            String net, String tax, String gross, boolean reverseCharge, String note) {
    }

    private final TaxService taxes;

    public TaxController(TaxService taxes) {
        this.taxes = taxes;
    }

    @PostMapping("/api/v1/tax-rules")
    @PreAuthorize("hasAuthority('settings:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a tax rule")
    public Mono<ResponseEntity<RuleResponse>> create(@AuthenticationPrincipal Principal actor, @Valid @RequestBody RuleBody body) {
        return taxes.create(actor, body.draft())
                .map(r -> ResponseEntity.created(URI.create("/api/v1/tax-rules/" + r.id())).body(RuleResponse.of(r)));
    }

    @GetMapping("/api/v1/tax-rules")
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "List tax rules", description = "By country, region (country-wide first) and sequence.")
    public Mono<RuleList> list(@AuthenticationPrincipal Principal actor, @RequestParam(required = false) String country) {
        return taxes.list(actor, country).map(RuleResponse::of).collectList().map(RuleList::new);
    }

    @GetMapping("/api/v1/tax-rules/{id}")
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "Get a tax rule")
    public Mono<RuleResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return taxes.get(actor, id).map(RuleResponse::of);
    }

    @PutMapping("/api/v1/tax-rules/{id}")
    @PreAuthorize("hasAuthority('settings:write')")
    @Operation(summary = "Update a tax rule", description = "Send the whole rule with the version you read.")
    public Mono<RuleResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody RuleBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(TaxService.INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return taxes.update(actor, id, body.draft(), body.version()).map(RuleResponse::of);
    }

    @DeleteMapping("/api/v1/tax-rules/{id}")
    @PreAuthorize("hasAuthority('settings:write')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a tax rule", description = "Invoices already issued keep the taxes they were issued with.")
    public Mono<Void> delete(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return taxes.delete(actor, id);
    }

    @PostMapping("/api/v1/tax-quotes")
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "Calculate the taxes on lines at a place", description = """
            Applies the tenant's rules for the country (and region) to the lines, exactly as an invoice would, and
            records nothing. Useful to check a tax setup.""")
    public Mono<QuoteResponse> quote(@AuthenticationPrincipal Principal actor, @Valid @RequestBody QuoteBody body) {
        QuoteDraft draft = new QuoteDraft(body.customerId(), body.currency(), body.country(), body.region(), body.basis(),
                body.rounding(), body.amounts());
        return taxes.quote(actor, draft).map(quote -> {
            TaxCalculation.Result result = quote.result();
            List<TaxRule> rules = quote.rules();
            List<QuoteLine> lines = result.lines().stream().map(line -> new QuoteLine(text(line.net()),
                    amounts(rules, line.taxes()), text(line.gross()))).toList();
            return new QuoteResponse(result.net().currencyCode(), quote.basis().name().toLowerCase(Locale.ROOT),
                    quote.rounding().name().toLowerCase(Locale.ROOT), lines, amounts(rules, result.totalPerRate()),
                    text(result.net()), text(result.tax()), text(result.gross()),
                    TaxService.REVERSE_CHARGE_NOTE.equals(quote.note()), quote.note());
        });
    }

    private static List<TaxAmount> amounts(List<TaxRule> rules, List<Money> taxes) {
        return java.util.stream.IntStream.range(0, rules.size()).mapToObj(i -> new TaxAmount(rules.get(i).rate().name(),
                rules.get(i).rate().percent().toPlainString(), text(taxes.get(i)))).toList();
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
