package io.hostrail.api.billingrun;

import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.service.BillingRunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * Runs a requested billing run in the background, beyond the request that asked for it. Stopping the application
 * abandons runs in flight between two subscriptions' transactions; the next run picks up where they stopped.
 */
public final class BillingRunLauncher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BillingRunLauncher.class);

    private final BillingRunService runs;
    private final Disposable.Composite inFlight = Disposables.composite();

    public BillingRunLauncher(BillingRunService runs) {
        this.runs = runs;
    }

    public void launch(BillingRun run) {
        AtomicReference<Disposable> self = new AtomicReference<>();
        Disposable running = runs.execute(run)
                .doFinally(signal -> {
                    Disposable done = self.get();
                    if (done != null) {
                        inFlight.remove(done);
                    }
                })
                .subscribe(done -> log.info("billing run {} {}: {}", done.id(), done.status().wireName(), done.progress()),
                        error -> log.error("billing run {} stopped: {}", run.id(), error.toString()));
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
