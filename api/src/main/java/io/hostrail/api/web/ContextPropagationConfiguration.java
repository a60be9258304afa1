package io.hostrail.api.web;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Hooks;

/**
 * Restores the request's MDC entries on whichever thread a Reactor operator runs, so logs keep the
 * request id across thread hops (Netty event loop, R2DBC, Kafka scheduler).
 *
 * <p>Only that: every accessor registered is restored around every signal of every operator, and Micrometer registers
 * one for the current observation, which nothing here reads from a thread local (the observations of requests travel
 * in the Reactor context). Restoring thread locals was among the hottest code in a profile of the billing run.
 */
@Configuration(proxyBeanMethods = false)
public class ContextPropagationConfiguration {

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(RequestIdFilter.MDC_KEY));
        ContextRegistry.getInstance().removeThreadLocalAccessor(ObservationThreadLocalAccessor.KEY);
        Hooks.enableAutomaticContextPropagation();
    }
}
