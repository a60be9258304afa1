package io.hostrail.api.web;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Hooks;

/**
 * Restores the request's MDC entries on whichever thread a Reactor operator runs, so logs keep the
 * request id across thread hops (Netty event loop, R2DBC, Kafka scheduler).
 */
@Configuration(proxyBeanMethods = false)
public class ContextPropagationConfiguration {

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(RequestIdFilter.MDC_KEY));
        Hooks.enableAutomaticContextPropagation();
    }
}
