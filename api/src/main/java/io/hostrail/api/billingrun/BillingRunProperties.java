package io.hostrail.api.billingrun;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import io.hostrail.billingrun.service.BillingRunService;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.billing.*}: how often every instance looks for subscriptions to renew and invoice. Several instances
 * running at once is safe, so there is no leader to elect; the period only bounds how late an invoice can be.
 *
 * @param runEvery      the time between scheduled runs
 * @param firstRunAfter the delay after start-up before the first one
 * @param batchSize     subscriptions invoiced per transaction
 * @param workers       transactions a run has going at once, each through its own slice of the subscriptions
 */
@Validated
@ConfigurationProperties("hostrail.billing")
public record BillingRunProperties(@NotNull @DefaultValue("1h") Duration runEvery,
        @NotNull @DefaultValue("2m") Duration firstRunAfter,
        @Min(1) @Max(5000) @DefaultValue("" + BillingRunService.DEFAULT_BATCH) int batchSize,
        @Min(1) @Max(BillingRunService.MAX_WORKERS) @DefaultValue("" + BillingRunService.DEFAULT_WORKERS) int workers) {
}
