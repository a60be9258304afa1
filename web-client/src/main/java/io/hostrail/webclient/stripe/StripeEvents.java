package io.hostrail.webclient.stripe;

import static io.hostrail.webclient.stripe.StripeApi.stripeAccount;
import static io.hostrail.webclient.support.JsonFields.text;

import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.payment.model.FetchedProviderEvent;
import io.hostrail.payment.port.out.ProviderEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ProviderEvents} on Stripe's {@code GET /v1/events}, which keeps 30 days of events and lists them newest first.
 * Going back in time pages with {@code starting_after} (the oldest seen); going forward from an event pages with
 * {@code ending_before} (the newest seen), each page still newest first, so it is turned round.
 */
public final class StripeEvents implements ProviderEvents {

    private static final int PAGE = 100;

    private final StripeApi stripe;

    public StripeEvents(StripeApi stripe) {
        this.stripe = stripe;
    }

    @Override
    public Flux<FetchedProviderEvent> since(GatewayAccount account, Instant since) {
        return Mono.fromSupplier(() -> stripeAccount(account))
                .flatMapMany(stripeAccount -> page(stripeAccount, since, null)
                        .expand(page -> page.hasMore() ? page(stripeAccount, since, page.oldest()) : Mono.empty()))
                .concatMapIterable(Page::events);
    }

    @Override
    public Flux<FetchedProviderEvent> after(GatewayAccount account, String eventId) {
        return Mono.fromSupplier(() -> stripeAccount(account))
                .flatMapMany(stripeAccount -> pageAfter(stripeAccount, eventId)
                        .expand(page -> page.hasMore() ? pageAfter(stripeAccount, page.newest()) : Mono.empty()))
                .concatMapIterable(page -> page.events().reversed());
    }

    private Mono<Page> page(StripeAccount account, Instant since, String startingAfter) {
        return stripe.get(account, uri -> {
                    uri.path("/v1/events").queryParam("limit", PAGE).queryParam("created[gte]", since.getEpochSecond());
                    if (startingAfter != null) {
                        uri.queryParam("starting_after", startingAfter);
                    }
                    return uri.build();
                })
                .map(StripeEvents::page)
                .onErrorMap(StripeSavedPaymentMethods::unanswered);
    }

    private Mono<Page> pageAfter(StripeAccount account, String endingBefore) {
        return stripe.get(account, uri -> uri.path("/v1/events").queryParam("limit", PAGE)
                        .queryParam("ending_before", "{event}").build(endingBefore))
                .map(StripeEvents::page)
                .onErrorMap(StripeSavedPaymentMethods::unanswered);
    }

    private static Page page(StripeResponse response) {
        JsonNode list = StripeSavedPaymentMethods.answer(response);
        List<FetchedProviderEvent> events = new ArrayList<>();
        for (JsonNode event : list.path("data").values()) {
            events.add(new FetchedProviderEvent(text(event, "id"), text(event, "type"),
                    Instant.ofEpochSecond(event.path("created").asLong()), JsonMapper.shared().writeValueAsString(event)));
        }
        return new Page(events, list.path("has_more").asBoolean(false) && !events.isEmpty());
    }

    /** One page as Stripe lists it, newest first. */
    private record Page(List<FetchedProviderEvent> events, boolean hasMore) {

        String newest() {
            return events.getFirst().id();
        }

        String oldest() {
            return events.getLast().id();
        }
    }
}
