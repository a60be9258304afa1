package io.hostrail.dunning.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.dunning.model.DunningPolicy;
import io.hostrail.dunning.port.out.DunningPolicies;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** The tenant's dunning policy: read by the dunning run, changed by those who hold settings:write. */
public final class DunningPolicyService {

    public static final ErrorCode INVALID = ErrorCode.validation("dunning_policy.invalid");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");

    /** The policy as sent; a list left out is the default one, a day left out is never. */
    public record PolicyDraft(List<Integer> reminderOffsets, List<Integer> retryDays, Integer suspendAfterDays,
            Integer terminateAfterDays) {
    }

    private final DunningPolicies policies;
    private final UnitOfWork unitOfWork;
    private final AuditTrail audit;

    public DunningPolicyService(DunningPolicies policies, UnitOfWork unitOfWork, AuditTrail audit) {
        this.policies = policies;
        this.unitOfWork = unitOfWork;
        this.audit = audit;
    }

    public Mono<DunningPolicy> get(Principal actor) {
        return unitOfWork.inTransaction(() -> current(actor.tenant()));
    }

    /** Inside a caller's unit of work: the saved policy, or the defaults. */
    public Mono<DunningPolicy> current(TenantId tenant) {
        return policies.find(tenant).defaultIfEmpty(DunningPolicy.defaults(tenant));
    }

    public Mono<DunningPolicy> update(Principal actor, PolicyDraft draft, long expectedVersion) {
        DunningPolicy wanted;
        try {
            wanted = validated(actor.tenant(), draft, expectedVersion);
        } catch (DomainException e) {
            return Mono.error(e);
        }
        return unitOfWork.inTransaction(() -> current(actor.tenant()).flatMap(before -> policies.save(wanted,
                        expectedVersion)
                .switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                        "The dunning policy was changed by someone else meanwhile; reload it and try again.")))
                .flatMap(saved -> audit.record(actor.tenant(), Actors.of(actor), "settings.dunning_updated", "settings",
                        "dunning", summary(before), summary(saved)).thenReturn(saved))));
    }

    /** Every field checked, each fault named, before anything is saved. */
    static DunningPolicy validated(TenantId tenant, PolicyDraft draft, long version) {
        DunningPolicy defaults = DunningPolicy.defaults(tenant);
        List<Integer> reminders = draft.reminderOffsets() == null ? defaults.reminderOffsets() : draft.reminderOffsets();
        List<Integer> retries = draft.retryDays() == null ? defaults.retryDays() : draft.retryDays();
        Integer suspend = draft.suspendAfterDays();
        Integer terminate = draft.terminateAfterDays();
        FieldErrors errors = new FieldErrors();
        rule(errors, () -> new DunningPolicy(tenant, reminders, List.of(), null, null, version));
        rule(errors, () -> new DunningPolicy(tenant, List.of(), retries, null, null, version));
        boolean suspendValid = rule(errors, () -> new DunningPolicy(tenant, List.of(), List.of(), suspend, null, version));
        boolean terminateValid = rule(errors, () -> new DunningPolicy(tenant, List.of(), List.of(), null, terminate,
                version));
        if (suspendValid && terminateValid) {
            rule(errors, () -> new DunningPolicy(tenant, List.of(), List.of(), suspend, terminate, version));
        }
        errors.throwIfAny(INVALID, "The dunning policy has invalid fields.");
        return new DunningPolicy(tenant, reminders, retries, suspend, terminate, version);
    }

    /** Whether the policy {@code build} makes holds; if not, its broken rule is recorded under the field it names. */
    private static boolean rule(FieldErrors errors, java.util.function.Supplier<DunningPolicy> build) {
        try {
            build.get();
            return true;
        } catch (IllegalArgumentException e) {
            errors.addRuleViolation(e, "policy");
            return false;
        }
    }

    private static Map<String, String> summary(DunningPolicy p) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("reminderOffsets", p.reminderOffsets().toString());
        summary.put("retryDays", p.retryDays().toString());
        summary.put("suspendAfterDays", String.valueOf(p.suspendAfterDays()));
        summary.put("terminateAfterDays", String.valueOf(p.terminateAfterDays()));
        return summary;
    }
}
