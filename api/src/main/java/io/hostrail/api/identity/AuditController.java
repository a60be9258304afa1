package io.hostrail.api.identity;

import io.hostrail.audit.model.AuditQuery;
import io.hostrail.audit.model.AuditRecord;
import io.hostrail.audit.model.ChainVerification;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.Principal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The append-only, hash-chained record of privileged actions")
@SecurityRequirement(name = "bearer")
public class AuditController {

    record AuditRecordResponse(UUID id, long sequence, String action, String actorKind, UUID actorId, String actor,
            String targetType, String targetId, Map<String, String> before, Map<String, String> after, Instant occurredAt,
            String ip, String requestId, String hash) {

        static AuditRecordResponse of(AuditRecord record) {
            var entry = record.entry();
            return new AuditRecordResponse(record.id(), record.sequence(), entry.action(), entry.actor().kind().name(),
                    entry.actor().id(), entry.actor().display(), entry.targetType(), entry.targetId(), entry.before(),
                    entry.after(), entry.occurredAt(), entry.ip(), entry.requestId(), record.hash());
        }
    }

    record AuditPage(List<AuditRecordResponse> items, String nextCursor) {
    }

    record VerificationResponse(String status, long records, Long brokenAtSequence, UUID brokenRecordId, String reason) {
    }

    private final AuditTrail audit;

    public AuditController(AuditTrail audit) {
        this.audit = audit;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('audit:read')")
    @Operation(summary = "Search the audit trail, newest first", description = "Pass `nextCursor` back as `before`.")
    public Mono<AuditPage> search(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) String targetType,
            @RequestParam(required = false) String targetId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return audit.search(new AuditQuery(actor.tenant().value(), action, actorId, targetType, targetId, from, to, before,
                        limit))
                .map(AuditRecordResponse::of).collectList()
                .map(items -> new AuditPage(items, items.size() == limit ? Long.toString(items.getLast().sequence()) : null));
    }

    @GetMapping("/verification")
    @PreAuthorize("hasAuthority('audit:read')")
    @Operation(summary = "Verify the hash chain", description = """
            Recomputes every record's hash and link and compares the end with the stored head; reports the \
            first broken link if any record was altered, removed, reordered or cut from the end.""")
    public Mono<VerificationResponse> verify(@AuthenticationPrincipal Principal actor) {
        return audit.verify(actor.tenant()).map(verification -> switch (verification.result()) {
            case ChainVerification.Intact intact -> new VerificationResponse("intact", intact.count(), null, null, null);
            case ChainVerification.Broken broken -> new VerificationResponse("broken", verification.headSequence(),
                    broken.sequence(), broken.recordId(), broken.reason());
        });
    }
}
