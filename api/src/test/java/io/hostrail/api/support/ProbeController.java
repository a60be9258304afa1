package io.hostrail.api.support;

import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Test-only endpoints that make the framework produce each kind of error, so the error contract is
 * tested independently of any business endpoint. Never part of the production artifact.
 */
@RestController
@RequestMapping("/test/probe")
public class ProbeController {

    static final Logger log = LoggerFactory.getLogger(ProbeController.class);

    public record Line(@NotBlank String sku, @Min(1) @Max(1000) int quantity) {
    }

    public record Order(@NotBlank String customer, @NotNull @Email String email, @NotEmpty List<@Valid Line> lines) {
    }

    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Map<String, Object>> create(@Valid @RequestBody Order order) {
        return Mono.just(Map.of("customer", order.customer(), "lines", order.lines().size()));
    }

    @GetMapping("/boom")
    public Mono<String> boom() {
        return Mono.error(new IllegalStateException("secret internal detail: password=hunter2"));
    }

    @GetMapping("/missing-invoice")
    public Mono<String> missingInvoice() {
        return Mono.error(new DomainException(ErrorCode.notFound("invoice.not_found"), "Invoice INV-9 does not exist."));
    }

    /** Logs after hopping to another thread, to show the request id travels with the request. */
    @GetMapping("/log-after-hop")
    public Mono<String> logAfterHop() {
        return Mono.delay(Duration.ofMillis(5), Schedulers.parallel())
                .publishOn(Schedulers.boundedElastic())
                .doOnNext(tick -> log.info("probe log after a thread hop"))
                .map(tick -> "logged");
    }
}
