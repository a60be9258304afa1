package io.hostrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Called from a non-blocking thread (Reactor's {@code parallel}, which BlockHound watches like a Netty
 * event loop), as the filter calls the limiter.
 */
class OffloadedUntilConnectedTest {

    private static final BucketSpec SPEC = BucketSpec.perPeriod(10, Duration.ofMinutes(1));
    private static final RateLimitDecision ALLOWED = new RateLimitDecision(true, 10, 9, Duration.ZERO, Duration.ofSeconds(6));

    private final ConnectingLimiter redis = new ConnectingLimiter();

    /**
     * Reactor sets up its context-propagation support (reading service files from jars) on the first
     * subscription that needs it. Done on a parallel thread, BlockHound would refuse it and the failed
     * class initialisation would break every later test in this JVM, so it is done here first.
     */
    @BeforeAll
    static void initialiseReactorOffTheEventLoop() throws ClassNotFoundException {
        Class.forName("reactor.core.publisher.ContextPropagationSupport", true, Mono.class.getClassLoader());
    }

    private final OffloadedUntilConnected limiter = new OffloadedUntilConnected(redis);

    @Test
    @DisplayName("the stand-in for Redis really blocks: called on the event loop itself, BlockHound refuses it")
    void standInBlocks() {
        StepVerifier.create(Mono.defer(() -> redis.tryConsume("k", SPEC)).subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("until a call succeeds, calls that connect (and block) run off the event loop")
    void firstConnectIsOffloaded() {
        StepVerifier.create(fromEventLoop()).expectNext(ALLOWED).verifyComplete();

        assertThat(redis.threads).singleElement().asString().startsWith("boundedElastic");
    }

    @Test
    @DisplayName("once connected, calls run where they are: no thread hop per request")
    void connectedCallsStayPut() {
        fromEventLoop().block(Duration.ofSeconds(5));
        StepVerifier.create(fromEventLoop()).expectNext(ALLOWED).verifyComplete();

        assertThat(redis.threads.get(1)).startsWith("parallel");
    }

    @Test
    @DisplayName("after a failure, calls are offloaded again until one succeeds")
    void failureOffloadsAgain() {
        fromEventLoop().block(Duration.ofSeconds(5));
        redis.failNext.set(true);
        StepVerifier.create(fromEventLoop()).expectError(ConnectException.class).verify(Duration.ofSeconds(5));
        redis.connected.set(false);

        StepVerifier.create(fromEventLoop()).expectNext(ALLOWED).verifyComplete();

        assertThat(redis.threads.get(2)).startsWith("boundedElastic");
    }

    private Mono<RateLimitDecision> fromEventLoop() {
        return Mono.defer(() -> limiter.tryConsume("api:ip:203.0.113.5", SPEC)).subscribeOn(Schedulers.parallel());
    }

    /** Like Spring Data Redis over Lettuce: the first command on a new connection opens it with blocking I/O. */
    private static final class ConnectingLimiter implements RateLimiter {

        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicBoolean connected = new AtomicBoolean();
        final AtomicBoolean failNext = new AtomicBoolean();

        @Override
        public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
            threads.add(Thread.currentThread().getName());
            if (failNext.getAndSet(false)) {
                return Mono.error(new ConnectException("Connection refused"));
            }
            if (!connected.getAndSet(true)) {
                connectBlocking();
            }
            return Mono.just(ALLOWED);
        }

        private static void connectBlocking() {
            try (ServerSocket server = new ServerSocket(0); Socket socket = new Socket("127.0.0.1", server.getLocalPort())) {
                socket.getOutputStream().write(1);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
