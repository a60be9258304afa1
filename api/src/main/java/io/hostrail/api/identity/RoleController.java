package io.hostrail.api.identity;

import io.hostrail.api.identity.IdentityDtos.RoleRequest;
import io.hostrail.api.identity.IdentityDtos.RoleResponse;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Permissions;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.RoleAdministration;
import io.hostrail.identity.service.RoleAdministration.RoleDraft;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@Tag(name = "Roles", description = "Built-in and custom roles, and the permissions they carry")
@SecurityRequirement(name = "bearer")
public class RoleController {

    private final RoleAdministration roles;

    public RoleController(RoleAdministration roles) {
        this.roles = roles;
    }

    @GetMapping("/api/v1/permissions")
    @PreAuthorize("hasAuthority('role:read')")
    @Operation(summary = "Every permission a role can carry")
    public Flux<String> permissions() {
        return Flux.fromIterable(Permissions.ALL).map(Permission::value);
    }

    @GetMapping("/api/v1/roles")
    @PreAuthorize("hasAuthority('role:read')")
    @Operation(summary = "List roles")
    public Flux<RoleResponse> list(@AuthenticationPrincipal Principal actor) {
        return roles.list(actor).map(RoleResponse::of);
    }

    @GetMapping("/api/v1/roles/{id}")
    @PreAuthorize("hasAuthority('role:read')")
    @Operation(summary = "Get a role")
    public Mono<RoleResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return roles.get(actor, id).map(RoleResponse::of);
    }

    @PostMapping("/api/v1/roles")
    @PreAuthorize("hasAuthority('role:write')")
    @Operation(summary = "Create a custom role", description = "A role cannot carry permissions you do not hold.")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    public Mono<ResponseEntity<RoleResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody RoleRequest request) {
        if (request.name() == null) {
            return Mono.error(new DomainException(ErrorCode.validation("role.invalid"), "A role needs a name.",
                    List.of(new DomainException.FieldViolation("name", "must not be null"))));
        }
        return roles.create(actor, new RoleDraft(request.name(), request.description(), request.permissions()))
                .map(role -> ResponseEntity.created(URI.create("/api/v1/roles/" + role.id())).body(RoleResponse.of(role)));
    }

    @PutMapping("/api/v1/roles/{id}")
    @PreAuthorize("hasAuthority('role:write')")
    @Operation(summary = "Change a custom role's description and permissions", description = "Built-in roles cannot change.")
    public Mono<RoleResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody RoleRequest request) {
        if (request.version() == null) {
            return Mono.error(new DomainException(ErrorCode.validation("role.invalid"), "The role's version is required.",
                    List.of(new DomainException.FieldViolation("version", "must not be null"))));
        }
        return roles.update(actor, id, new RoleDraft(null, request.description(), request.permissions()), request.version())
                .map(RoleResponse::of);
    }

    @org.springframework.web.bind.annotation.PutMapping("/api/v1/roles/{id}/second-factor")
    @PreAuthorize("hasAuthority('role:write')")
    @Operation(summary = "Require a second factor of everyone holding this role",
            description = "Applies to built-in roles too. Holders without one sign in with no permissions until they enrol.")
    public Mono<RoleResponse> requireSecondFactor(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody IdentityDtos.SecondFactorPolicyRequest request) {
        return roles.requireSecondFactor(actor, id, request.required()).map(RoleResponse::of);
    }

    @DeleteMapping("/api/v1/roles/{id}")
    @PreAuthorize("hasAuthority('role:write')")
    @Operation(summary = "Delete a custom role nobody holds")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<ResponseEntity<Void>> delete(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return roles.delete(actor, id).thenReturn(ResponseEntity.noContent().build());
    }
}
