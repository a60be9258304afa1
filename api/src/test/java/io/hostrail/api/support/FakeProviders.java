package io.hostrail.api.support;

import io.hostrail.webclient.paypal.FakePayPalServer;
import io.hostrail.webclient.stripe.FakeStripeServer;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Stripe and PayPal in the test JVM: the web-client module's fake servers, which speak the providers' wire formats,
 * one of each for the whole JVM (the application context is shared by the test classes, and so are the URLs it was
 * given). PayPal's live and sandbox hosts are the same fake. A test tells its own objects apart by the ids it made.
 */
public final class FakeProviders {

    private static FakeStripeServer stripe;
    private static FakePayPalServer payPal;

    private FakeProviders() {
    }

    public static synchronized FakeStripeServer stripe() {
        if (stripe == null) {
            FakeStripeServer started = new FakeStripeServer();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fake-stripe-shutdown"));
            stripe = started;
        }
        return stripe;
    }

    public static synchronized FakePayPalServer payPal() {
        if (payPal == null) {
            FakePayPalServer started = new FakePayPalServer();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fake-paypal-shutdown"));
            payPal = started;
        }
        return payPal;
    }

    /** Drops the replies a test scripted and did not use; call it after each test that scripts replies. */
    public static void forgetScripts() {
        stripe().forgetScript();
        payPal().forgetScript();
    }

    /** Points the application's Stripe and PayPal clients at the fakes. */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String payPalUrl = payPal().baseUrl().toString();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fakeProviders", Map.of(
                    "hostrail.payments.stripe.base-url", stripe().baseUrl().toString(),
                    "hostrail.payments.paypal.live-url", payPalUrl,
                    "hostrail.payments.paypal.sandbox-url", payPalUrl)));
        }
    }
}
