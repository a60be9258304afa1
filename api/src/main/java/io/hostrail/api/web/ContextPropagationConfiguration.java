package io.hostrail.api.web;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Hooks;

/**
 * Restores the request's MDC entries on whichever thread a Reactor operator runs, so logs keep the
 * request id across thread hops (Netty event loop, R2DBC, Kafka scheduler).
 *
 * <p>Only that: every accessor registered is restored around every signal of every operator, and libraries register
 * theirs through {@code ServiceLoader} (Micrometer's current observation; Spring Security's security contexts), which
 * nothing here reads from a thread local: observations and the security context travel in the Reactor context. So
 * every accessor but the MDC's is removed. Restoring thread locals was among the hottest code in profiles of the
 * billing run and of webhook ingest (58 % of the samples there, with three accessors).
 */
@Configuration(proxyBeanMethods = false)
public class ContextPropagationConfiguration {

    static {
        ContextRegistry registry = ContextRegistry.getInstance();
        registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(RequestIdFilter.MDC_KEY));
        List.copyOf(registry.getThreadLocalAccessors()).stream()
                .map(ThreadLocalAccessor::key)
                .filter(key -> !Slf4jThreadLocalAccessor.KEY.equals(key))
                .forEach(registry::removeThreadLocalAccessor);
        Hooks.enableAutomaticContextPropagation();
    }
}
