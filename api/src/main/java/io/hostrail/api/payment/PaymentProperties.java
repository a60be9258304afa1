package io.hostrail.api.payment;

import io.hostrail.webclient.paypal.PayPalSettings;
import io.hostrail.webclient.stripe.StripeSettings;
import io.hostrail.webclient.support.OutboundPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.payments.*}.
 *
 * @param stripeWebhookTolerance how far a Stripe-Signature timestamp may be from now, either way, before the delivery
 *                               is refused as a possible replay
 * @param stripe                 how Stripe is reached
 * @param paypal                 how PayPal is reached, live and sandbox
 * @param attempts               how payments whose outcome is open are followed up
 * @param catchUp                how often every instance reads the providers' event logs for missed webhooks
 */
@Validated
@ConfigurationProperties("hostrail.payments")
public record PaymentProperties(@NotNull @DefaultValue("300s") Duration stripeWebhookTolerance,
        @Valid @NotNull @DefaultValue Stripe stripe, @Valid @NotNull @DefaultValue PayPal paypal,
        @Valid @NotNull @DefaultValue Attempts attempts, @Valid @NotNull @DefaultValue CatchUp catchUp) {

    /** @param apiVersion the {@code Stripe-Version} pinned on every request, the one the adapters read */
    public record Stripe(@NotNull @DefaultValue("https://api.stripe.com") URI baseUrl,
            @NotBlank @DefaultValue("2025-03-31.basil") String apiVersion,
            @Valid @NotNull @DefaultValue Outbound outbound) {

        StripeSettings settings() {
            return new StripeSettings(baseUrl, apiVersion, outbound.policy());
        }
    }

    /** @param tokenRefreshMargin how long before an access token expires a new one is taken */
    public record PayPal(@NotNull @DefaultValue("https://api-m.paypal.com") URI liveUrl,
            @NotNull @DefaultValue("https://api-m.sandbox.paypal.com") URI sandboxUrl,
            @NotNull @DefaultValue("5m") Duration tokenRefreshMargin,
            @Valid @NotNull @DefaultValue Outbound outbound) {

        PayPalSettings settings(URI baseUrl) {
            return new PayPalSettings(baseUrl, tokenRefreshMargin, outbound.policy());
        }
    }

    /**
     * The guards around one provider's calls (see {@link OutboundPolicy}). A payment request waits at most about
     * {@code timeout × max-attempts} plus the pauses between; what is still unanswered then is followed up by the
     * attempt janitor, never read as a decline.
     */
    public record Outbound(@NotNull @DefaultValue("2s") Duration connectTimeout,
            @NotNull @DefaultValue("10s") Duration timeout,
            @Min(1) @Max(10) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration initialBackoff,
            @Min(1) @Max(1000) @DefaultValue("50") int maxConcurrentCalls,
            @Min(1) @Max(100) @DefaultValue("50") int failureRatePercent,
            @Min(1) @Max(1000) @DefaultValue("20") int slidingWindowSize,
            @Min(1) @Max(1000) @DefaultValue("10") int minimumCalls,
            @NotNull @DefaultValue("30s") Duration openFor,
            @Min(1) @Max(100) @DefaultValue("2") int halfOpenCalls) {

        OutboundPolicy policy() {
            return new OutboundPolicy(connectTimeout, timeout, maxAttempts, initialBackoff, maxConcurrentCalls,
                    failureRatePercent, slidingWindowSize, minimumCalls, openFor, halfOpenCalls);
        }
    }

    /**
     * @param checkEvery   how often each instance looks for attempts due a check with their provider
     * @param firstCheckAfter the delay after start-up before the first look
     * @param batchSize    attempts claimed at once by one instance
     */
    public record Attempts(@NotNull @DefaultValue("30s") Duration checkEvery,
            @NotNull @DefaultValue("20s") Duration firstCheckAfter,
            @Min(1) @Max(1000) @DefaultValue("50") int batchSize) {
    }

    /**
     * @param every  the time between scheduled catch-ups
     * @param window how far back each looks; more than {@code every}, so a round that failed is covered by the next
     */
    public record CatchUp(@NotNull @DefaultValue("1h") Duration every, @NotNull @DefaultValue("2h") Duration window) {
    }
}
