package io.hostrail.api.config;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Background work on a fixed period while the application runs: one run at a time (a slow run delays
 * the next rather than overlapping it), and a failed run is logged and tried again next period.
 */
public final class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration firstAfter;
    private final Duration every;
    private final Supplier<Mono<?>> work;
    private volatile Disposable running;

    public PeriodicTask(String name, Duration firstAfter, Duration every, Supplier<Mono<?>> work) {
        this.name = name;
        this.firstAfter = firstAfter;
        this.every = every;
        this.work = work;
    }

    @Override
    public void start() {
        running = Flux.interval(firstAfter, every)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(work).onErrorResume(e -> {
                    log.warn("{} failed, trying again in {}: {}", name, every, e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }
}
