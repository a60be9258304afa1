package io.hostrail.api.security;

import io.hostrail.adapters.security.JwtAccessTokens;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.shared.model.TenantId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/** Turns a verified access token into the domain principal; a token missing a claim is refused. */
final class AccessTokenAuthenticationConverter implements Converter<Jwt, Mono<HostrailAuthentication>> {

    @Override
    public Mono<HostrailAuthentication> convert(Jwt jwt) {
        return Mono.fromCallable(() -> {
            List<String> roles = jwt.getClaimAsStringList(JwtAccessTokens.ROLES);
            List<String> permissions = jwt.getClaimAsStringList(JwtAccessTokens.PERMISSIONS);
            String customer = jwt.getClaimAsString(JwtAccessTokens.CUSTOMER);
            String session = jwt.getClaimAsString(JwtAccessTokens.SESSION);
            Principal principal = new Principal(
                    new TenantId(UUID.fromString(required(jwt, JwtAccessTokens.TENANT))),
                    UUID.fromString(jwt.getSubject()),
                    jwt.getClaimAsString(JwtAccessTokens.EMAIL),
                    UserKind.valueOf(required(jwt, JwtAccessTokens.KIND).toUpperCase(Locale.ROOT)),
                    customer == null ? null : UUID.fromString(customer),
                    roles == null ? new HashSet<>() : new HashSet<>(roles),
                    permissions == null ? new HashSet<>() : new HashSet<>(permissions.stream().map(Permission::of).toList()),
                    session == null ? null : UUID.fromString(session));
            return new HostrailAuthentication(principal, jwt.getTokenValue());
        }).onErrorMap(e -> !(e instanceof org.springframework.security.core.AuthenticationException),
                e -> new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException(
                        "The access token is missing or has malformed claims."));
    }

    private static String required(Jwt jwt, String claim) {
        String value = jwt.getClaimAsString(claim);
        if (value == null) {
            throw new IllegalArgumentException("missing claim " + claim);
        }
        return value;
    }
}
