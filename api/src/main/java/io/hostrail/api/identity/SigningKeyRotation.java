package io.hostrail.api.identity;

import io.hostrail.adapters.security.SigningKeys;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes sure a signing key exists as soon as the application starts (not on the first login), then
 * checks every five minutes whether the key is due for rotation and picks up keys other instances made.
 */
@Component
public class SigningKeyRotation implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRotation.class);
    /** Other instances pick up a new key within this; keys stay published well beyond it. */
    static final Duration CHECK_EVERY = Duration.ofMinutes(5);

    private final SigningKeys signingKeys;
    private volatile Disposable running;

    public SigningKeyRotation(SigningKeys signingKeys) {
        this.signingKeys = signingKeys;
    }

    @Override
    public void start() {
        running = Flux.interval(Duration.ZERO, CHECK_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> signingKeys.refresh()
                        .onErrorResume(e -> {
                            log.warn("signing key check failed, retrying at the next check: {}", e.toString());
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
