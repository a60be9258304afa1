package io.hostrail.api.identity;

import io.hostrail.api.identity.IdentityDtos.SecondFactorCodeRequest;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.SecondFactorService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** One's own second factor. Needs only to be signed in: a user made to enrol has no other permission yet. */
@RestController
@RequestMapping("/api/v1/auth/second-factor")
@Tag(name = "Authentication")
@SecurityRequirement(name = "bearer")
public class SecondFactorController {

    private final SecondFactorService secondFactors;

    public SecondFactorController(SecondFactorService secondFactors) {
        this.secondFactors = secondFactors;
    }

    @PostMapping("/enrolment")
    @Operation(summary = "Start TOTP enrolment", description = """
            Returns an otpauth:// URI (render it as a QR code) and the secret, once. Confirm with a first code.""")
    public Mono<ResponseEntity<Map<String, String>>> enrol(@AuthenticationPrincipal Principal principal) {
        return secondFactors.enrol(principal).map(enrolment -> ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(Map.of("otpauthUri", enrolment.otpauthUri(), "secret", enrolment.secret())));
    }

    @PostMapping("/confirmation")
    @Operation(summary = "Confirm enrolment with a first code", description = """
            Enables the second factor and returns ten single-use recovery codes, once: keep them somewhere safe.""")
    public Mono<ResponseEntity<Map<String, List<String>>>> confirm(@AuthenticationPrincipal Principal principal,
            @Valid @RequestBody SecondFactorCodeRequest request) {
        return secondFactors.confirm(principal, request.code()).map(codes -> ResponseEntity.ok()
                .cacheControl(CacheControl.noStore()).body(Map.of("recoveryCodes", codes)));
    }

    @PostMapping("/disable")
    @Operation(summary = "Turn the second factor off", description = "Needs a current code or a recovery code.")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<ResponseEntity<Void>> disable(@AuthenticationPrincipal Principal principal,
            @Valid @RequestBody SecondFactorCodeRequest request) {
        return secondFactors.disable(principal, request.code(), request.recoveryCode())
                .thenReturn(ResponseEntity.noContent().build());
    }
}
