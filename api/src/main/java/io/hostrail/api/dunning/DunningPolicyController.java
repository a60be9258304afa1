package io.hostrail.api.dunning;

import io.hostrail.dunning.model.DunningPolicy;
import io.hostrail.dunning.service.DunningPolicyService;
import io.hostrail.dunning.service.DunningPolicyService.PolicyDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/settings/dunning")
@Tag(name = "Dunning", description = """
        What happens to unpaid invoices: payment reminders before, on and after the due date, suspension and termination
        of what they billed, and unsuspension when they are paid.""")
@SecurityRequirement(name = "bearer")
public class DunningPolicyController {

    record PolicyBody(
            @ArraySchema(arraySchema = @Schema(description = """
                    Days relative to the due date a payment reminder is sent: negative before it, 0 on it, positive
                    after it. -60 to 365, at most 10, each once. Left out: the defaults."""),
                    schema = @Schema(example = "-3")) List<Integer> reminderOffsets,
            @ArraySchema(arraySchema = @Schema(description = """
                    Days after the due date to retry the charge on the customer's saved payment method, 1 to 60, at
                    most 10, each once. Stored only: retries start when saved payment methods are wired. Left out: the
                    defaults."""), schema = @Schema(example = "3")) List<Integer> retryDays,
            @Schema(example = "14", nullable = true, description = "Days after the due date the invoice's subscriptions "
                    + "are suspended, 0 to 365; null for never") Integer suspendAfterDays,
            @Schema(example = "30", nullable = true, description = "Days after the due date they are terminated, 1 to "
                    + "730 and more than suspendAfterDays; null for never") Integer terminateAfterDays,
            @Schema(example = "0", description = "The version you read") @PositiveOrZero Long version) {
    }

    record PolicyResponse(List<Integer> reminderOffsets, List<Integer> retryDays,
            @Schema(nullable = true) Integer suspendAfterDays, @Schema(nullable = true) Integer terminateAfterDays,
            long version) {

        static PolicyResponse of(DunningPolicy p) {
            return new PolicyResponse(p.reminderOffsets(), p.retryDays(), p.suspendAfterDays(), p.terminateAfterDays(),
                    p.version());
        }
    }

    private final DunningPolicyService policies;

    public DunningPolicyController(DunningPolicyService policies) {
        this.policies = policies;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('settings:read')")
    @Operation(summary = "The tenant's dunning policy", description = "A tenant that never saved one gets the defaults, version 0.")
    public Mono<PolicyResponse> get(@AuthenticationPrincipal Principal actor) {
        return policies.get(actor).map(PolicyResponse::of);
    }

    @PutMapping
    @PreAuthorize("hasAuthority('settings:write')")
    @Operation(summary = "Replace the dunning policy", description = """
            Send every field with the version you read: a list left out goes back to its default, a day left out (or
            null) means never. Applies to every open invoice from the next dunning run; a step already taken is never
            taken again.""")
    public Mono<PolicyResponse> update(@AuthenticationPrincipal Principal actor, @Valid @RequestBody PolicyBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(DunningPolicyService.INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return policies.update(actor, new PolicyDraft(body.reminderOffsets(), body.retryDays(), body.suspendAfterDays(),
                body.terminateAfterDays()), body.version()).map(PolicyResponse::of);
    }
}
