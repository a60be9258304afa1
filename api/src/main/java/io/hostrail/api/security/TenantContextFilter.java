package io.hostrail.api.security;

import io.hostrail.shared.model.TenantContext;
import java.util.Optional;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the authenticated tenant into the Reactor context, where the unit of work finds it for
 * row-level security. The tenant only ever comes from the verified token.
 */
final class TenantContextFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(HostrailAuthentication.class::isInstance)
                .map(authentication -> Optional.of(((HostrailAuthentication) authentication).getPrincipal().tenant()))
                .defaultIfEmpty(Optional.empty())
                .flatMap(tenant -> tenant
                        .map(id -> chain.filter(exchange).contextWrite(context -> TenantContext.put(context, id)))
                        .orElseGet(() -> chain.filter(exchange)));
    }
}
