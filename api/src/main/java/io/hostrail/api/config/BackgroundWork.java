package io.hostrail.api.config;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * Work a request starts and does not wait for (a billing or dunning run asked for through the API), run beyond that
 * request and logged when it ends. Stopping the application disposes of what is in flight; such work is made of
 * transactions that each commit or roll back whole, so the next run picks up what was left.
 */
@Component
public final class BackgroundWork implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BackgroundWork.class);

    private final Disposable.Composite inFlight = Disposables.composite();

    /** Runs {@code work}, logging {@code what} with {@code outcome} of its result when it ends, or its error. */
    public <T> void launch(String what, Mono<T> work, Function<T, String> outcome) {
        AtomicReference<Disposable> self = new AtomicReference<>();
        Disposable running = work
                .doFinally(signal -> {
                    Disposable done = self.get();
                    if (done != null) {
                        inFlight.remove(done);
                    }
                })
                .subscribe(done -> log.info("{} {}", what, outcome.apply(done)),
                        error -> log.error("{} stopped: {}", what, error.toString()));
        self.set(running);
        inFlight.add(running);
        if (running.isDisposed()) {
            inFlight.remove(running);
        }
    }

    @Override
    public void destroy() {
        inFlight.dispose();
    }
}
