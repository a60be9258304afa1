package io.hostrail.api.identity;

import io.hostrail.adapters.security.SigningKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@Tag(name = "Authentication")
public class JwksController {

    private final SigningKeys signingKeys;

    public JwksController(SigningKeys signingKeys) {
        this.signingKeys = signingKeys;
    }

    @GetMapping("/.well-known/jwks.json")
    @Operation(summary = "Public keys that verify access tokens (RFC 7517)")
    public Mono<ResponseEntity<Map<String, Object>>> jwks() {
        return signingKeys.keys().map(keys -> ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                .body(Map.of("keys", keys.published().stream().map(jwk -> jwk.toPublicJWK().toJSONObject()).toList())));
    }
}
