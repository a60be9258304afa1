package io.hostrail.api.payment;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.payments.*}.
 *
 * @param stripeWebhookTolerance how far a Stripe-Signature timestamp may be from now, either way, before the delivery
 *                               is refused as a possible replay
 */
@Validated
@ConfigurationProperties("hostrail.payments")
public record PaymentProperties(@NotNull @DefaultValue("300s") Duration stripeWebhookTolerance) {
}
