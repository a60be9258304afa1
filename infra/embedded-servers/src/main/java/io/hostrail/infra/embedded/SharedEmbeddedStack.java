package io.hostrail.infra.embedded;

/**
 * One embedded stack per JVM, started by the first test that asks and stopped when the JVM exits,
 * so every integration test class in a module shares the same servers.
 */
public final class SharedEmbeddedStack {

    private static volatile EmbeddedStack stack;

    private SharedEmbeddedStack() {
    }

    public static EmbeddedStack get() {
        EmbeddedStack current = stack;
        if (current == null) {
            synchronized (SharedEmbeddedStack.class) {
                current = stack;
                if (current == null) {
                    current = EmbeddedStack.start(null, EmbeddedStack.Ports.anyFree());
                    Runtime.getRuntime().addShutdownHook(new Thread(current::close, "embedded-stack-shutdown"));
                    stack = current;
                }
            }
        }
        return current;
    }
}
