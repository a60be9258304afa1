package io.hostrail.infra.embedded;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring context at embedded servers, ahead of every other property source: the JVM's
 * shared stack for tests (the no-argument form, usable in {@code @ContextConfiguration}), or a given one.
 */
public final class EmbeddedStackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private final EmbeddedStack stack;

    public EmbeddedStackInitializer() {
        this(null);
    }

    public EmbeddedStackInitializer(EmbeddedStack stack) {
        this.stack = stack;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        EmbeddedStack servers = stack != null ? stack : SharedEmbeddedStack.get();
        context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("embeddedStack", servers.springProperties()));
    }
}
