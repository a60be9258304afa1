package io.hostrail.webclient.stripe;

import static io.hostrail.webclient.support.FakeReply.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.payment.model.GatewayErrors;
import io.hostrail.payment.model.FetchedProviderEvent;
import io.hostrail.payment.model.SavedPaymentMethod;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.time.SettableClock;
import io.hostrail.webclient.support.Policies;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/** Stripe's customers, SetupIntents, saved payment methods and event log, against the fake Stripe. */
class StripeSavedPaymentMethodsAndEventsTest {

    private static final StripeAccount ACCOUNT = new StripeAccount(TenantId.of("0190a000-0000-7000-8000-000000000001"),
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc");

    private final FakeStripeServer stripe = new FakeStripeServer();
    private final StripeApi api = new StripeApi(WebClient.builder(),
            new StripeSettings(stripe.baseUrl(), "2025-03-31.basil", Policies.relaxed()),
            SettableClock.at("2026-03-02T09:00:00Z"));
    private final StripeSavedPaymentMethods methods = new StripeSavedPaymentMethods(api);
    private final StripeEvents events = new StripeEvents(api);

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    @DisplayName("a customer is created for ours, keyed by our customer id, and a SetupIntent for off-session use gives its client secret")
    void customerAndSetup() {
        UUID customerId = UUID.randomUUID();
        UUID setupId = UUID.randomUUID();
        String customer = methods.createCustomer(ACCOUNT, customerId, "ada@example.com", "Ada Lovelace").block();
        assertThat(customer).startsWith("cus_");
        StepVerifier.create(methods.startSetup(ACCOUNT, setupId, customer))
                .assertNext(setup -> {
                    assertThat(setup.reference()).startsWith("seti_");
                    assertThat(setup.clientSecret()).startsWith(setup.reference() + "_secret_");
                })
                .verifyComplete();

        var posts = stripe.requests("POST", "/");
        assertThat(posts.get(0).header("Idempotency-Key")).isEqualTo("hostrail-customer-" + customerId);
        assertThat(posts.get(0).body()).isEqualTo("email=ada%40example.com&name=Ada+Lovelace&metadata[hostrail_customer_id]="
                + customerId);
        assertThat(posts.get(1).header("Idempotency-Key")).isEqualTo("hostrail-setup-" + setupId);
        assertThat(posts.get(1).form()).containsEntry("customer", customer).containsEntry("usage", "off_session")
                .containsEntry("payment_method_types[]", "card");
    }

    @Test
    @DisplayName("saved cards are listed with what may be shown of them, and detached")
    void listAndDetach() {
        StepVerifier.create(methods.list(ACCOUNT, "cus_QXg1o8vcGmoR32", "card"))
                .expectNext(new SavedPaymentMethod("pm_1Pgc75B7WZ01zgkWlHVgdEGJ", "card", "visa", "4242", 8, 2030))
                .verifyComplete();
        StepVerifier.create(methods.detach(ACCOUNT, "pm_1Pgc75B7WZ01zgkWlHVgdEGJ")).verifyComplete();

        assertThat(stripe.requests().get(0).path()).isEqualTo("/v1/customers/cus_QXg1o8vcGmoR32/payment_methods");
        assertThat(stripe.requests().get(0).queryParam("type")).isEqualTo("card");
        assertThat(stripe.requests().get(1).path()).isEqualTo("/v1/payment_methods/pm_1Pgc75B7WZ01zgkWlHVgdEGJ/detach");
    }

    @Test
    @DisplayName("a refusal and an outage fail with the port's codes")
    void failures() {
        stripe.replies(json(404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\","
                + "\"message\":\"No such PaymentMethod: 'pm_gone'\"}}"));
        StepVerifier.create(methods.detach(ACCOUNT, "pm_gone"))
                .expectErrorSatisfies(error -> assertThat(((DomainException) error).code()).isEqualTo(GatewayErrors.REFUSED))
                .verify();
        stripe.replies(json(500, ""), json(500, ""), json(500, ""));
        StepVerifier.create(methods.list(ACCOUNT, "cus_x", "card"))
                .expectErrorSatisfies(error -> assertThat(((DomainException) error).code())
                        .isEqualTo(GatewayErrors.UNAVAILABLE))
                .verify();
    }

    @Test
    @DisplayName("events since an instant come page by page, newest first, raw as Stripe keeps them")
    void eventsSince() {
        for (int i = 1; i <= 250; i++) {
            stripe.addEvent("payment_intent.succeeded", 1_770_000_000L + i);
        }
        StepVerifier.create(events.since(ACCOUNT, Instant.ofEpochSecond(1_770_000_051L)).collectList())
                .assertNext(found -> {
                    assertThat(found).hasSize(200);
                    assertThat(found.getFirst().id()).isEqualTo("evt_250");
                    assertThat(found.getLast().id()).isEqualTo("evt_51");
                    assertThat(found.getFirst().created()).isEqualTo(Instant.ofEpochSecond(1_770_000_250L));
                    assertThat(found.getFirst().type()).isEqualTo("payment_intent.succeeded");
                    assertThat(found.getFirst().rawJson()).startsWith("{\"api_version\":null,\"created\":1770000250,")
                            .contains("\"id\":\"evt_250\"");
                })
                .verifyComplete();
        assertThat(stripe.requests()).as("pages").hasSize(2);
        assertThat(stripe.requests().get(1).queryParam("starting_after")).isEqualTo("evt_151");
    }

    @Test
    @DisplayName("events after an event come oldest first, paging forward with ending_before")
    void eventsAfter() {
        for (int i = 1; i <= 230; i++) {
            stripe.addEvent("charge.refunded", 1_770_000_000L + i);
        }
        StepVerifier.create(events.after(ACCOUNT, "evt_20").map(FetchedProviderEvent::id).collectList())
                .assertNext(ids -> {
                    assertThat(ids).hasSize(210);
                    assertThat(ids.getFirst()).isEqualTo("evt_21");
                    assertThat(ids.get(99)).isEqualTo("evt_120");
                    assertThat(ids.getLast()).isEqualTo("evt_230");
                })
                .verifyComplete();
        assertThat(stripe.requests()).extracting(request -> request.queryParam("ending_before"))
                .containsExactly("evt_20", "evt_120", "evt_220");
    }
}
