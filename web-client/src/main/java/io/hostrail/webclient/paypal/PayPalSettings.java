package io.hostrail.webclient.paypal;

import io.hostrail.webclient.support.OutboundPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How Hostrail talks to PayPal.
 *
 * @param baseUrl             the REST API's root: {@link #LIVE} or {@link #SANDBOX}
 * @param tokenRefreshMargin  how long before an access token's {@code expires_in} runs out a new one is taken, so a
 *                            token never expires between being read from the cache and reaching PayPal
 * @param policy              timeouts, retries, bulkhead and breaker, shared by all of PayPal's calls
 */
public record PayPalSettings(URI baseUrl, Duration tokenRefreshMargin, OutboundPolicy policy) {

    public static final URI LIVE = URI.create("https://api-m.paypal.com");
    public static final URI SANDBOX = URI.create("https://api-m.sandbox.paypal.com");

    public PayPalSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, got " + baseUrl);
        }
        if (tokenRefreshMargin == null || tokenRefreshMargin.isNegative()) {
            throw new IllegalArgumentException("tokenRefreshMargin must be zero or positive");
        }
        Objects.requireNonNull(policy, "policy");
    }
}
