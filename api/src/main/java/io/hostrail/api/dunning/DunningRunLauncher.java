package io.hostrail.api.dunning;

import io.hostrail.dunning.model.DunningRun;
import io.hostrail.dunning.service.DunningService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * Runs a requested dunning run in the background, beyond the request that asked for it. Stopping the application
 * abandons runs in flight between two invoices' transactions; the next run takes the steps they left.
 */
public final class DunningRunLauncher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DunningRunLauncher.class);

    private final DunningService dunning;
    private final Disposable.Composite inFlight = Disposables.composite();

    public DunningRunLauncher(DunningService dunning) {
        this.dunning = dunning;
    }

    public void launch(DunningRun run) {
        AtomicReference<Disposable> self = new AtomicReference<>();
        Disposable running = dunning.execute(run)
                .doFinally(signal -> {
                    Disposable done = self.get();
                    if (done != null) {
                        inFlight.remove(done);
                    }
                })
                .subscribe(done -> log.info("dunning run {} {}: {}", done.id(), done.status().wireName(), done.progress()),
                        error -> log.error("dunning run {} stopped: {}", run.id(), error.toString()));
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
