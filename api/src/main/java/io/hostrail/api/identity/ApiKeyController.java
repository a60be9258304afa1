package io.hostrail.api.identity;

import io.hostrail.identity.model.ApiKey;
import io.hostrail.identity.model.IpRange;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.ApiKeyService;
import io.hostrail.identity.service.ApiKeyService.CreateApiKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys", description = "Credentials for third-party integrations, limited to scopes")
@SecurityRequirement(name = "bearer")
public class ApiKeyController {

    record CreateApiKeyRequest(
            @Schema(example = "Accounting export") @NotBlank @Size(max = 100) String name,
            @Schema(example = "[\"invoice:read\"]") @NotEmpty Set<@NotBlank String> scopes,
            Instant expiresAt,
            @Schema(example = "[\"203.0.113.0/24\"]") List<@NotBlank String> allowedIps) {
    }

    record ApiKeyResponse(UUID id, String name, String prefix, List<String> scopes, List<String> allowedIps,
            Instant expiresAt, UUID createdBy, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

        static ApiKeyResponse of(ApiKey key) {
            return new ApiKeyResponse(key.id(), key.name(), key.prefix(), key.scopes().stream().map(Permission::value).toList(),
                    key.allowedIps().stream().map(IpRange::cidr).toList(), key.expiresAt(), key.createdBy(),
                    key.createdAt(), key.lastUsedAt(), key.revokedAt());
        }
    }

    /** Creation answer: the key itself appears here once and never again. */
    record CreatedApiKeyResponse(ApiKeyResponse apiKey, String key) {
    }

    private final ApiKeyService apiKeys;

    public ApiKeyController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('api_key:write')")
    @Operation(summary = "Create an API key", description = """
            The key (`hrk_...`) is in this response only: store it now. Send it as the `X-API-Key` header. \
            Its scopes cannot exceed your own permissions.""")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    public Mono<ResponseEntity<CreatedApiKeyResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody CreateApiKeyRequest request) {
        return apiKeys.create(actor, new CreateApiKey(request.name(), request.scopes(), request.expiresAt(), request.allowedIps()))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/api-keys/" + created.key().id()))
                        .cacheControl(CacheControl.noStore())
                        .body(new CreatedApiKeyResponse(ApiKeyResponse.of(created.key()), created.secret())));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('api_key:read')")
    @Operation(summary = "List API keys (never their secrets)")
    public Flux<ApiKeyResponse> list(@AuthenticationPrincipal Principal actor) {
        return apiKeys.list(actor).map(ApiKeyResponse::of);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('api_key:read')")
    @Operation(summary = "Get an API key (never its secret)")
    public Mono<ApiKeyResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return apiKeys.get(actor, id).map(ApiKeyResponse::of);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('api_key:write')")
    @Operation(summary = "Revoke an API key", description = "Takes effect at once; revoking twice is harmless.")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<ResponseEntity<Void>> revoke(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return apiKeys.revoke(actor, id).thenReturn(ResponseEntity.noContent().build());
    }
}
