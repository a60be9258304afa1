package io.hostrail.api.web;

import io.hostrail.api.config.HostrailProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a body whose declared length is over the limit before a byte of it is read. Bodies without
 * a length (chunked) are bounded by the codecs' in-memory limit, set to the same size.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestBodyLimitFilter implements WebFilter {

    private final long maxBytes;

    public RequestBodyLimitFilter(HostrailProperties properties) {
        this.maxBytes = properties.maxRequestBody().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(new PayloadTooLargeException(null));
        }
        return chain.filter(exchange);
    }
}
