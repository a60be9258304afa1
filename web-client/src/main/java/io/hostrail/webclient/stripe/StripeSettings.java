package io.hostrail.webclient.stripe;

import io.hostrail.webclient.support.OutboundPolicy;
import java.net.URI;
import java.util.Objects;

/**
 * How Hostrail talks to Stripe.
 *
 * @param baseUrl    the API's root, {@link #OFFICIAL}
 * @param apiVersion the {@code Stripe-Version} every request pins, so the shapes read here do not change under us
 * @param policy     timeouts, retries, bulkhead and breaker, shared by all of Stripe's calls
 */
public record StripeSettings(URI baseUrl, String apiVersion, OutboundPolicy policy) {

    public static final URI OFFICIAL = URI.create("https://api.stripe.com");

    public StripeSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, got " + baseUrl);
        }
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new IllegalArgumentException("apiVersion must not be blank");
        }
        Objects.requireNonNull(policy, "policy");
    }
}
