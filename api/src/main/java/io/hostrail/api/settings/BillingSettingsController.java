package io.hostrail.api.settings;

import io.hostrail.identity.model.Principal;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.settings.service.BillingSettingsService.SettingsDraft;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/settings/billing")
@Tag(name = "Settings", description = "How the tenant bills.")
@SecurityRequirement(name = "bearer")
public class BillingSettingsController {

    record SettingsBody(
            @Schema(example = "DE", description = "Where the tenant sells from; needed for EU reverse charge") @Size(max = 2)
            String sellerCountry,
            @Schema(example = "exclusive", allowableValues = {"exclusive", "inclusive"}) String taxBasis,
            @Schema(example = "per_line", allowableValues = {"per_line", "per_invoice"}) String taxRounding,
            @Schema(example = "INV-{yyyy}-{seq:6}") @Size(max = 40) String invoiceNumberFormat,
            @Schema(example = "CN-{yyyy}-{seq:6}") @Size(max = 40) String creditNoteNumberFormat,
            @Schema(example = "14", description = "Days before the due date renewals are invoiced, 0 to 90")
            Integer renewalLeadDays,
            @Schema(example = "true") Boolean applyCreditAutomatically,
            @Schema(example = "day", allowableValues = {"day", "second"},
                    description = "What plan changes are prorated to: whole UTC days or seconds") String prorationGranularity,
            @Schema(example = "0", description = "The version you read") @PositiveOrZero Long version) {
    }

    record SettingsResponse(String sellerCountry, String taxBasis, String taxRounding, String invoiceNumberFormat,
            String creditNoteNumberFormat,
            @Schema(description = "The first invoice number of January 2026 in this format", example = "INV-2026-000001")
            String invoiceNumberExample, int renewalLeadDays,
            boolean applyCreditAutomatically, String prorationGranularity, long version) {

        static SettingsResponse of(BillingSettings s) {
            return new SettingsResponse(s.sellerCountry(), s.taxBasis().name().toLowerCase(Locale.ROOT),
                    s.taxRounding().name().toLowerCase(Locale.ROOT), s.invoiceNumbers().pattern(),
                    s.creditNoteNumbers().pattern(), s.invoiceNumbers().render(2026, 1, 1),
                    s.renewalLeadDays(), s.applyCreditAutomatically(),
                    s.prorationGranularity().name().toLowerCase(Locale.ROOT), s.version());
        }
    }

    private final BillingSettingsService settings;

    public BillingSettingsController(BillingSettingsService settings) {
        this.settings = settings;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "The tenant's billing settings", description = "A tenant that never saved any gets the defaults, version 0.")
    public Mono<SettingsResponse> get(@AuthenticationPrincipal Principal actor) {
        return settings.get(actor).map(SettingsResponse::of);
    }

    @PutMapping
    @PreAuthorize("hasAuthority('settings:write')")
    @Operation(summary = "Replace the billing settings", description = """
            Send every field with the version you read; a field left out goes back to its default.""")
    public Mono<SettingsResponse> update(@AuthenticationPrincipal Principal actor, @Valid @RequestBody SettingsBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(BillingSettingsService.INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return settings.update(actor, new SettingsDraft(body.sellerCountry(), body.taxBasis(), body.taxRounding(),
                body.invoiceNumberFormat(), body.creditNoteNumberFormat(), body.renewalLeadDays(),
                body.applyCreditAutomatically(), body.prorationGranularity()), body.version()).map(SettingsResponse::of);
    }
}
