package io.hostrail.api.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One line per API request: method, path (never the query string, which could carry a token), status
 * and duration. The request id comes along through the MDC.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class AccessLogFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("io.hostrail.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            log.info("{} {} -> {} in {} ms", exchange.getRequest().getMethod(), path,
                    status == null ? "-" : status.value(), (System.nanoTime() - started) / 1_000_000);
        });
    }
}
