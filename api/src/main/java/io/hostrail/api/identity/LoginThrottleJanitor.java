package io.hostrail.api.identity;

import io.hostrail.identity.port.out.LoginThrottle;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Hourly, forgets sign-in failure counts quiet for a day: attackers pick the subjects, so they must not pile up. */
@Component
public class LoginThrottleJanitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottleJanitor.class);

    private final LoginThrottle throttle;
    private final Clock clock;
    private volatile Disposable running;

    public LoginThrottleJanitor(LoginThrottle throttle, Clock clock) {
        this.throttle = throttle;
        this.clock = clock;
    }

    @Override
    public void start() {
        running = Flux.interval(Duration.ofHours(1))
                .onBackpressureDrop()
                .concatMap(tick -> throttle.purgeQuietSince(clock.instant().minus(Duration.ofDays(1)))
                        .onErrorResume(e -> {
                            log.warn("login throttle purge failed: {}", e.toString());
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
