package io.hostrail.api.security;

import io.hostrail.identity.service.ApiKeyService;
import io.hostrail.shared.error.DomainException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import reactor.core.publisher.Mono;

/**
 * Third parties authenticate with {@code X-API-Key: hrk_...}. A request without the header passes on to
 * bearer-token authentication; one with a bad key is refused with the usual 401 problem.
 */
final class ApiKeyAuthentication {

    static final String HEADER = "X-API-Key";

    private ApiKeyAuthentication() {
    }

    /** The presented key and the caller's address, before verification. */
    private record Presented(String key, String ip) {
    }

    private static final class PresentedKey extends org.springframework.security.authentication.AbstractAuthenticationToken {

        private final Presented presented;

        PresentedKey(Presented presented) {
            super(java.util.List.of());
            this.presented = presented;
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return "api-key";
        }
    }

    static AuthenticationWebFilter filter(ApiKeyService apiKeys, ServerAuthenticationEntryPoint entryPoint) {
        ReactiveAuthenticationManager manager = authentication -> {
            Presented presented = ((PresentedKey) authentication).presented;
            return apiKeys.authenticate(presented.key(), presented.ip())
                    .<Authentication>map(principal -> new HostrailAuthentication(principal, ""))
                    .onErrorMap(DomainException.class, e -> new BadCredentialsException("invalid API key"));
        };
        ServerAuthenticationConverter converter = exchange -> {
            String key = exchange.getRequest().getHeaders().getFirst(HEADER);
            if (key == null) {
                return Mono.empty();
            }
            // Resolved through trusted proxies by RequestIdFilter: behind a proxy the socket address is the proxy's.
            String ip = exchange.getAttribute(io.hostrail.api.web.RequestIdFilter.CLIENT_ADDRESS_ATTRIBUTE);
            return Mono.just(new PresentedKey(new Presented(key, ip)));
        };
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager);
        filter.setServerAuthenticationConverter(converter);
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        return filter;
    }
}
