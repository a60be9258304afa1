package io.hostrail.webclient.stripe;

import io.hostrail.webclient.support.FakeReply;
import io.hostrail.webclient.support.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe's API in the test JVM, on a free port. It answers with Stripe's own object shapes (the fixtures in
 * {@code stripe/fixtures.json}, taken from Stripe's OpenAPI fixtures), filled in from the request, and behaves as Stripe
 * does where the client relies on it: a request whose {@code Idempotency-Key} was seen before gets the first answer
 * again, and creates nothing. Replies scripted with {@link #replies} are given first, in order, to any request; they are
 * not remembered under the key (as Stripe does not keep an answer it never gave, such as a reset connection).
 */
public final class FakeStripeServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final JsonNode FIXTURES = fixtures();

    private final Queue<FakeReply> script = new ConcurrentLinkedQueue<>();
    private final Queue<UnaryOperator<FakeReply>> lateAnswers = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, FakeReply> answered = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> intents = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> customers = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> setupIntents = new ConcurrentHashMap<>();
    /** Every PaymentMethod made, in the order made; {@code customer} says whom it is attached to, null once detached. */
    private final List<ObjectNode> paymentMethods = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Sinks.Many<RecordedRequest> arrivals = Sinks.many().replay().all();
    private final DisposableServer server;

    public FakeStripeServer() {
        // The fixtures' customer and its card, as an account's first objects: listing that customer's cards finds it.
        ObjectNode fixtureCustomer = (ObjectNode) FIXTURES.get("customer").deepCopy();
        customers.put(fixtureCustomer.get("id").asString(), fixtureCustomer);
        ObjectNode fixtureCard = (ObjectNode) FIXTURES.get("payment_method").deepCopy();
        fixtureCard.put("customer", fixtureCustomer.get("id").asString());
        paymentMethods.add(fixtureCard);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(this::handle)
                .bindNow();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            RecordedRequest recorded = RecordedRequest.of(request, body);
            requests.add(recorded);
            arrivals.tryEmitNext(recorded);
            FakeReply scripted = script.poll();
            if (scripted != null) {
                return scripted.send(request, response);
            }
            String key = recorded.header("Idempotency-Key");
            FakeReply reply = key == null ? answer(recorded) : answered.computeIfAbsent(key, unused -> answer(recorded));
            UnaryOperator<FakeReply> late = lateAnswers.poll();
            return (late == null ? reply : late.apply(reply)).send(request, response);
        });
    }

    public FakeStripeServer replies(FakeReply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /**
     * The next request (after any scripted replies) is carried out, and remembered under its key, but answered only
     * after {@code wait}: Stripe did the work and the answer was lost on the way.
     */
    public FakeStripeServer answerNextAfter(Duration wait) {
        lateAnswers.add(reply -> reply.after(wait));
        return this;
    }

    /** The next request is carried out but answered only once {@code gate} completes. */
    public FakeStripeServer holdNext(Mono<Void> gate) {
        lateAnswers.add(reply -> reply.heldUntil(gate));
        return this;
    }

    /** Completes once {@code count} requests have arrived. */
    public Mono<Void> received(int count) {
        return arrivals.asFlux().take(count).then();
    }

    /** Drops scripted replies no request took, so a test that scripted more than it used leaves none to the next. */
    public void forgetScript() {
        script.clear();
        lateAnswers.clear();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public List<RecordedRequest> requests() {
        return requests;
    }

    public List<RecordedRequest> requests(String method, String pathStart) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathStart)).toList();
    }

    /** PaymentIntents created, however many requests asked for one. */
    public int intentsCreated() {
        return intents.size();
    }

    /** Sets where a PaymentIntent stands, as Stripe.js confirming it or Stripe processing it would. */
    public void setIntentStatus(String id, String status) {
        intents.get(id).put("status", status);
    }

    /**
     * Completes a SetupIntent as the payer's browser does with Stripe.js ({@code confirmCardSetup}, which posts to
     * {@code /v1/setup_intents/{id}/confirm} with the publishable key): a new PaymentMethod is made from one of Stripe's
     * test cards ({@code pm_card_visa}, {@code pm_card_mastercard}, {@code pm_card_amex}) and attached to the
     * SetupIntent's customer, and the SetupIntent has succeeded. Answers the new PaymentMethod's id.
     */
    public String confirmSetup(String clientSecret, String testCard) {
        ObjectNode setup = setupIntents.values().stream()
                .filter(intent -> intent.get("client_secret").asString().equals(clientSecret)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no SetupIntent has client secret " + clientSecret));
        ObjectNode method = fixture("payment_method", "pm_");
        ObjectNode card = (ObjectNode) method.get("card");
        String[] brandAndLast4 = switch (testCard) {
            case "pm_card_visa" -> new String[] {"visa", "4242"};
            case "pm_card_mastercard" -> new String[] {"mastercard", "4444"};
            case "pm_card_amex" -> new String[] {"amex", "8431"};
            default -> throw new IllegalArgumentException("not a Stripe test card this fake knows: " + testCard);
        };
        card.put("brand", brandAndLast4[0]);
        card.put("display_brand", brandAndLast4[0]);
        card.put("last4", brandAndLast4[1]);
        card.put("exp_month", 12);
        card.put("exp_year", 2034);
        method.put("customer", setup.get("customer").asString());
        method.put("created", 1_770_000_000L + ids.get());
        method.putObject("metadata");
        paymentMethods.add(method);
        setup.put("payment_method", method.get("id").asString());
        setup.put("status", "succeeded");
        setup.putNull("next_action");
        return method.get("id").asString();
    }

    /** The customers made under {@code metadata[key]=value}, however many requests asked for one. */
    public List<String> customersWithMetadata(String key, String value) {
        return customers.values().stream().filter(customer -> value.equals(customer.path("metadata").path(key).asString()))
                .map(customer -> customer.get("id").asString()).toList();
    }

    /** The ids of the PaymentMethods attached to the customer, newest first. */
    public List<String> attachedTo(String customer) {
        return paymentMethods.reversed().stream().filter(method -> customer.equals(method.path("customer").asString()))
                .map(method -> method.get("id").asString()).toList();
    }

    /** Adds an event to the account's log, newest last, as {@code GET /v1/events} will list it (newest first). */
    public void addEvent(String type, long created) {
        ObjectNode event = (ObjectNode) FIXTURES.get("event").deepCopy();
        event.put("id", "evt_" + ids.incrementAndGet());
        event.put("type", type);
        event.put("created", created);
        events.add(event);
    }

    private FakeReply answer(RecordedRequest request) {
        String path = request.path();
        Map<String, String> form = request.form();
        if (request.method().equals("POST") && path.equals("/v1/payment_intents")) {
            return createIntent(form);
        }
        if (request.method().equals("GET") && path.equals("/v1/payment_intents/search")) {
            return search(request.queryParam("query"));
        }
        if (request.method().equals("GET") && path.startsWith("/v1/payment_intents/")) {
            ObjectNode intent = intents.get(path.substring("/v1/payment_intents/".length()));
            return intent == null ? missing("payment_intent") : ok(intent);
        }
        if (request.method().equals("POST") && path.equals("/v1/refunds")) {
            return refund(form);
        }
        if (request.method().equals("POST") && path.equals("/v1/customers")) {
            ObjectNode customer = fixture("customer", "cus_");
            customer.put("email", form.get("email"));
            customer.put("name", form.get("name"));
            metadata(customer, form);
            customers.put(customer.get("id").asString(), customer);
            return ok(customer);
        }
        if (request.method().equals("POST") && path.equals("/v1/setup_intents")) {
            if (form.get("customer") != null && !customers.containsKey(form.get("customer"))) {
                return missing("customer", "customer");
            }
            ObjectNode setup = fixture("setup_intent", "seti_");
            setup.put("client_secret", setup.get("id").asString() + "_secret_" + ids.incrementAndGet());
            setup.put("customer", form.get("customer"));
            setup.putNull("last_setup_error");
            metadata(setup, form);
            setupIntents.put(setup.get("id").asString(), setup);
            return ok(setup);
        }
        if (request.method().equals("GET") && path.startsWith("/v1/customers/") && path.endsWith("/payment_methods")) {
            String customer = path.split("/")[3];
            if (!customers.containsKey(customer)) {
                return missing("customer", null);
            }
            String type = request.queryParam("type");
            int limit = request.queryParam("limit") == null ? 10 : Integer.parseInt(request.queryParam("limit"));
            List<ObjectNode> attached = paymentMethods.reversed().stream()
                    .filter(method -> customer.equals(method.path("customer").asString()))
                    .filter(method -> type == null || type.equals(method.get("type").asString()))
                    .toList();
            return ok(list(attached.subList(0, Math.min(limit, attached.size())), attached.size() > limit, path));
        }
        if (request.method().equals("POST") && path.startsWith("/v1/payment_methods/") && path.endsWith("/detach")) {
            String id = path.split("/")[3];
            ObjectNode method = paymentMethods.stream().filter(m -> m.get("id").asString().equals(id)).findFirst()
                    .orElse(null);
            if (method == null) {
                return missing("payment_method", null);
            }
            if (method.path("customer").isNull() || method.path("customer").isMissingNode()) {
                return FakeReply.json(400, """
                        {"error":{"type":"invalid_request_error","message":"The payment method you provided is not \
                        attached to a customer so detachment is impossible."}}""");
            }
            method.putNull("customer");
            return ok(method);
        }
        if (request.method().equals("GET") && path.equals("/v1/events")) {
            return listEvents(request);
        }
        return FakeReply.json(404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}");
    }

    private FakeReply createIntent(Map<String, String> form) {
        if ("pm_card_chargeDeclinedInsufficientFunds".equals(form.get("payment_method"))) {
            ObjectNode intent = newIntent(form, "requires_payment_method");
            return FakeReply.json(402, """
                    {"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",
                     "message":"Your card has insufficient funds.","charge":"ch_1","payment_intent":%s}}"""
                    .formatted(intent));
        }
        boolean confirmed = "true".equals(form.get("confirm"));
        String status = !confirmed ? (form.containsKey("payment_method") ? "requires_confirmation" : "requires_payment_method")
                : "pm_card_processing".equals(form.get("payment_method")) ? "processing" : "succeeded";
        return ok(newIntent(form, status));
    }

    private ObjectNode newIntent(Map<String, String> form, String status) {
        ObjectNode intent = fixture("payment_intent", "pi_");
        String id = intent.get("id").asString();
        intent.put("amount", Long.parseLong(form.get("amount")));
        intent.put("amount_received", status.equals("succeeded") ? Long.parseLong(form.get("amount")) : 0);
        intent.put("currency", form.get("currency"));
        intent.put("customer", form.get("customer"));
        intent.put("payment_method", form.get("payment_method"));
        intent.put("description", form.get("description"));
        intent.put("client_secret", id + "_secret_" + ids.incrementAndGet());
        intent.put("status", status);
        intent.putNull("last_payment_error");
        intent.putNull("next_action");
        intent.putNull("canceled_at");
        metadata(intent, form);
        intents.put(id, intent);
        return intent;
    }

    private FakeReply search(String query) {
        List<ObjectNode> found = intents.values().stream()
                .filter(intent -> query.equals("metadata['" + StripePaymentGateway.ATTEMPT_METADATA + "']:'"
                        + intent.path("metadata").path(StripePaymentGateway.ATTEMPT_METADATA).asString() + "'"))
                .toList();
        ObjectNode result = list(found, false, "/v1/payment_intents/search");
        result.put("object", "search_result");
        return ok(result);
    }

    private FakeReply refund(Map<String, String> form) {
        ObjectNode intent = intents.get(form.get("payment_intent"));
        if (intent == null) {
            return missing("payment_intent");
        }
        long amount = Long.parseLong(form.get("amount"));
        if (amount > intent.get("amount").asLong()) {
            return FakeReply.json(400, """
                    {"error":{"type":"invalid_request_error","code":"amount_too_large",
                     "message":"Refund amount is greater than unrefunded amount on charge","param":"amount"}}""");
        }
        ObjectNode refund = fixture("refund", "re_");
        refund.put("amount", amount);
        refund.put("currency", intent.get("currency").asString());
        refund.put("payment_intent", intent.get("id").asString());
        refund.put("reason", form.get("reason"));
        refund.put("status", "pm_card_refundPending".equals(intent.path("payment_method").asString()) ? "pending" : "succeeded");
        metadata(refund, form);
        return ok(refund);
    }

    /** Stripe's paging: newest first; {@code starting_after} goes back in time, {@code ending_before} forward. */
    private FakeReply listEvents(RecordedRequest request) {
        int limit = Integer.parseInt(request.queryParam("limit"));
        String gte = request.queryParam("created[gte]");
        List<ObjectNode> newestFirst = new ArrayList<>(events.reversed());
        if (gte != null) {
            newestFirst.removeIf(event -> event.get("created").asLong() < Long.parseLong(gte));
        }
        String startingAfter = request.queryParam("starting_after");
        String endingBefore = request.queryParam("ending_before");
        List<ObjectNode> page;
        boolean hasMore;
        if (endingBefore != null) {
            int cursor = indexOf(newestFirst, endingBefore);
            int from = Math.max(0, cursor - limit);
            page = newestFirst.subList(from, cursor);
            hasMore = from > 0;
        } else {
            int from = startingAfter == null ? 0 : indexOf(newestFirst, startingAfter) + 1;
            int to = Math.min(newestFirst.size(), from + limit);
            page = newestFirst.subList(from, to);
            hasMore = to < newestFirst.size();
        }
        return ok(list(page, hasMore, "/v1/events"));
    }

    private static int indexOf(List<ObjectNode> events, String id) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).get("id").asString().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event " + id);
    }

    private static ObjectNode list(List<ObjectNode> data, boolean hasMore, String url) {
        ObjectNode list = JSON.createObjectNode();
        list.put("object", "list");
        ArrayNode items = list.putArray("data");
        data.forEach(items::add);
        list.put("has_more", hasMore);
        list.put("url", url);
        return list;
    }

    private ObjectNode fixture(String name, String idPrefix) {
        ObjectNode object = (ObjectNode) FIXTURES.get(name).deepCopy();
        object.put("id", idPrefix + "test" + ids.incrementAndGet());
        return object;
    }

    /** {@code metadata[key]=value} pairs of the form into the object's {@code metadata}. */
    private static void metadata(ObjectNode object, Map<String, String> form) {
        ObjectNode metadata = object.putObject("metadata");
        form.forEach((key, value) -> {
            if (key.startsWith("metadata[") && key.endsWith("]")) {
                metadata.put(key.substring("metadata[".length(), key.length() - 1), value);
            }
        });
    }

    private static FakeReply ok(JsonNode body) {
        return FakeReply.json(200, JSON.writeValueAsString(body));
    }

    private static FakeReply missing(String what) {
        return missing(what, null);
    }

    private static FakeReply missing(String what, String param) {
        return FakeReply.json(404, """
                {"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such %s"%s}}"""
                .formatted(what, param == null ? "" : ",\"param\":\"" + param + "\""));
    }

    private static JsonNode fixtures() {
        try (InputStream in = FakeStripeServer.class.getResourceAsStream("/stripe/fixtures.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
