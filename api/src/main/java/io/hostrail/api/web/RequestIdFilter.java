package io.hostrail.api.web;

import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.hostrail.api.ratelimit.ClientAddresses;
import io.hostrail.api.ratelimit.RateLimitProperties;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.RequestMetadata;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, otherwise a new one.
 * It is echoed in the response, put in problem bodies, and carried through the Reactor context into
 * the logging MDC, so every log line of the request carries it whatever thread runs it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String REQUEST_ID_ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";
    public static final String MDC_KEY = "requestId";

    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** The client's address as resolved through trusted proxies, for whoever needs it after this filter. */
    public static final String CLIENT_ADDRESS_ATTRIBUTE = RequestIdFilter.class.getName() + ".clientAddress";

    private final IdGenerator ids;
    private final ClientAddresses clientAddresses;

    public RequestIdFilter(IdGenerator ids, RateLimitProperties rateLimits) {
        this.ids = ids;
        this.clientAddresses = ClientAddresses.trusting(rateLimits.trustedProxies());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String offered = exchange.getRequest().getHeaders().getFirst(HEADER);
        String requestId = offered != null && SANE_ID.matcher(offered).matches() ? offered : ids.newId().toString();
        exchange.getAttributes().put(REQUEST_ID_ATTRIBUTE, requestId);
        exchange.getResponse().getHeaders().set(HEADER, requestId);
        var client = clientAddresses.clientAddress(exchange.getRequest());
        String clientAddress = client == null ? null : client.getHostAddress();
        if (clientAddress != null) {
            exchange.getAttributes().put(CLIENT_ADDRESS_ATTRIBUTE, clientAddress);
        }
        RequestMetadata metadata = new RequestMetadata(clientAddress, requestId);
        return chain.filter(exchange)
                .contextWrite(context -> RequestMetadata.put(
                        context.put(Slf4jThreadLocalAccessor.KEY, Map.of(MDC_KEY, requestId)), metadata));
    }
}
