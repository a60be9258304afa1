package io.hostrail.api.identity;

import io.hostrail.api.identity.IdentityDtos.ChangeRolesRequest;
import io.hostrail.api.identity.IdentityDtos.ChangeStatusRequest;
import io.hostrail.api.identity.IdentityDtos.CreateUserRequest;
import io.hostrail.api.identity.IdentityDtos.Page;
import io.hostrail.api.identity.IdentityDtos.UserResponse;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.User;
import io.hostrail.identity.service.UserAdministration;
import io.hostrail.identity.service.UserAdministration.CreateStaffUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "Staff logins of your organisation")
@SecurityRequirement(name = "bearer")
public class UserController {

    private final UserAdministration users;

    public UserController(UserAdministration users) {
        this.users = users;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('user:read')")
    @Operation(summary = "List users", description = "Cursor pagination: pass `nextCursor` back as `after`.")
    public Mono<Page<UserResponse>> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return users.list(actor, after, limit).map(UserResponse::of).collectList()
                .map(items -> new Page<>(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @PostMapping
    @PreAuthorize("hasAuthority('user:write')")
    @Operation(summary = "Create a staff user", description = "You can only grant roles whose permissions you hold.")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    public Mono<ResponseEntity<UserResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody CreateUserRequest request) {
        return users.createStaffUser(actor, new CreateStaffUser(request.email(), request.displayName(), request.password(),
                        request.roleIds()))
                .map(user -> ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(UserResponse.of(user)));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('user:read')")
    @Operation(summary = "Get a user")
    public Mono<UserResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return users.get(actor, id).map(UserResponse::of);
    }

    @PostMapping("/{id}/password-reset")
    @PreAuthorize("hasAuthority('user:write')")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    @Operation(summary = "Issue a password reset token for a user", description = """
            The token (valid one hour, once) is in this response only: hand it to the user, who sets a new             password with POST /api/v1/auth/password-reset. You cannot reset the password of someone holding             more than you do.""")
    public Mono<ResponseEntity<java.util.Map<String, Object>>> issuePasswordReset(@AuthenticationPrincipal Principal actor,
            @PathVariable UUID id) {
        return users.issuePasswordReset(actor, id).map(reset -> ResponseEntity.status(201)
                .cacheControl(org.springframework.http.CacheControl.noStore())
                .body(java.util.Map.of("token", reset.token(), "expiresAt", reset.expiresAt())));
    }

    @PutMapping("/{id}/roles")
    @PreAuthorize("hasAuthority('user:write')")
    @Operation(summary = "Replace a user's roles", description = "`version` must be the user's current version.")
    public Mono<UserResponse> changeRoles(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody ChangeRolesRequest request) {
        return users.changeRoles(actor, id, request.roleIds(), request.version()).map(UserResponse::of);
    }

    @PutMapping("/{id}/status")
    @PreAuthorize("hasAuthority('user:write')")
    @Operation(summary = "Enable or disable a user")
    public Mono<UserResponse> changeStatus(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody ChangeStatusRequest request) {
        return users.setStatus(actor, id, User.Status.valueOf(request.status().toUpperCase(Locale.ROOT)), request.version())
                .map(UserResponse::of);
    }

}
