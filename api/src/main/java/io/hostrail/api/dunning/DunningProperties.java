package io.hostrail.api.dunning;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.dunning.*}: how often every instance looks for invoices with a dunning step due. Several instances
 * at once are safe (each step is claimed once), so there is no leader; the period only bounds how late a step can be.
 *
 * @param runEvery      the time between scheduled runs
 * @param firstRunAfter the delay after start-up before the first one
 */
@Validated
@ConfigurationProperties("hostrail.dunning")
public record DunningProperties(@NotNull @DefaultValue("1h") Duration runEvery,
        @NotNull @DefaultValue("3m") Duration firstRunAfter) {
}
