package io.hostrail.api.web;

import java.util.List;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Static documentation assets (Swagger UI) are read from jars with blocking I/O. This moves both the
 * resource lookup and every read of the body off the Netty event loop, so a browser loading the API
 * docs never stalls API requests sharing that loop.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class BlockingResourceOffloadFilter implements WebFilter {

    private static final List<String> BLOCKING_RESOURCE_PATHS = List.of("/swagger-ui", "/webjars/");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (BLOCKING_RESOURCE_PATHS.stream().noneMatch(path::startsWith)) {
            return chain.filter(exchange);
        }
        ServerHttpResponseDecorator offloadedBody = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(Flux.from(body).subscribeOn(Schedulers.boundedElastic()));
            }
        };
        return chain.filter(exchange.mutate().response(offloadedBody).build())
                .subscribeOn(Schedulers.boundedElastic());
    }
}
