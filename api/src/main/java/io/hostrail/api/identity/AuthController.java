package io.hostrail.api.identity;

import io.hostrail.api.identity.IdentityDtos.LoginRequest;
import io.hostrail.api.identity.IdentityDtos.MeResponse;
import io.hostrail.api.identity.IdentityDtos.RefreshRequest;
import io.hostrail.api.identity.IdentityDtos.TokenResponse;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.AuthenticationService;
import io.hostrail.identity.service.AuthenticationService.LoginCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Clock;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication", description = "Sign in, keep signed in, sign out")
public class AuthController {

    private final AuthenticationService authentication;
    private final Clock clock;
    private final io.hostrail.identity.service.UserAdministration userAdministration;

    public AuthController(AuthenticationService authentication, Clock clock,
            io.hostrail.identity.service.UserAdministration userAdministration) {
        this.userAdministration = userAdministration;
        this.authentication = authentication;
        this.clock = clock;
    }

    @PostMapping("/login")
    @Operation(summary = "Sign in", description = """
            Returns a short-lived access token (send it as `Authorization: Bearer ...`) and a refresh token. \
            A wrong tenant, email or password all give the same 401 `auth.invalid_credentials`.""")
    public Mono<ResponseEntity<TokenResponse>> login(@Valid @RequestBody LoginRequest request) {
        return authentication.login(new LoginCommand(request.tenant(), request.email(), request.password(),
                        request.totpCode(), request.recoveryCode()))
                .map(pair -> noStore(TokenResponse.of(pair, clock)));
    }

    @PostMapping("/refresh")
    @Operation(summary = "Exchange a refresh token for new tokens", description = """
            Refresh tokens are single use: each call returns a new one. Presenting one that was already used \
            revokes every token descending from the same sign-in (401 `auth.refresh_token_reused`).""")
    public Mono<ResponseEntity<TokenResponse>> refresh(@Valid @RequestBody RefreshRequest request) {
        return authentication.refresh(request.refreshToken()).map(pair -> noStore(TokenResponse.of(pair, clock)));
    }

    @PostMapping("/logout")
    @Operation(summary = "Sign out", description = "Revokes the refresh token's session. Always 204.")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<ResponseEntity<Void>> logout(@Valid @RequestBody RefreshRequest request) {
        return authentication.logout(request.refreshToken()).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/password")
    @Operation(summary = "Change your own password", security = @SecurityRequirement(name = "bearer"),
            description = "Needs the current password. Every session of yours is signed out (refresh tokens revoked).")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<ResponseEntity<Void>> changePassword(@AuthenticationPrincipal Principal principal,
            @Valid @RequestBody IdentityDtos.ChangePasswordRequest request) {
        return authentication.changePassword(principal, request.currentPassword(), request.newPassword())
                .thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/password-reset")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    @Operation(summary = "Set a new password with a reset token", description = """
            The token is single use and expires after an hour. Every session of the user is signed out.""")
    public Mono<ResponseEntity<Void>> completePasswordReset(@Valid @RequestBody IdentityDtos.PasswordResetRequest request) {
        return userAdministration.completePasswordReset(request.token(), request.newPassword())
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/me")
    @Operation(summary = "Who am I", security = @SecurityRequirement(name = "bearer"))
    public Mono<MeResponse> me(@AuthenticationPrincipal Principal principal) {
        return Mono.just(MeResponse.of(principal));
    }

    private static <T> ResponseEntity<T> noStore(T body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(body);
    }
}
