package io.hostrail.webclient.paypal;

import io.hostrail.webclient.support.FakeReply;
import io.hostrail.webclient.support.RecordedRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * PayPal's REST API in the test JVM, on a free port, answering in the shapes of PayPal's OpenAPI documents (Orders v2,
 * Payments v2, Notifications v1): OAuth 2 tokens for one app's credentials, orders that a test approves as a payer
 * would, captures, refunds and the webhook signature check. A POST repeated with the same {@code PayPal-Request-Id}
 * gets the first answer again. Scripted replies go first, in order: {@link #replies} to API calls,
 * {@link #tokenReplies} to the token endpoint.
 */
public final class FakePayPalServer implements AutoCloseable {

    public static final String CLIENT_ID = "AeA1QIZXiflr1_-r0U2UbWTziOWX1GRQer5";
    public static final String CLIENT_SECRET = "ECYYrrSHdKfk_Q0EdvzdGkzj58a66kKaUQ5";
    /** The signature the fake finds genuine; any other fails verification. */
    public static final String GENUINE_SIGNATURE = "lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3boXB07VXCXUZy";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Queue<FakeReply> script = new ConcurrentLinkedQueue<>();
    private final Queue<FakeReply> tokenScript = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, FakeReply> answered = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> orders = new ConcurrentHashMap<>();
    private final Set<String> declineOnCapture = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile long tokenLifetimeSeconds = 32_400;
    private final DisposableServer server;

    public FakePayPalServer() {
        server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            RecordedRequest recorded = RecordedRequest.of(request, body);
            requests.add(recorded);
            boolean tokenCall = recorded.path().equals("/v1/oauth2/token");
            FakeReply scripted = (tokenCall ? tokenScript : script).poll();
            if (scripted != null) {
                return scripted.send(request, response);
            }
            if (tokenCall) {
                return token(recorded).send(request, response);
            }
            String bearer = recorded.header("Authorization");
            if (bearer == null || !validTokens.contains(bearer.substring("Bearer ".length()))) {
                return FakeReply.json(401, """
                        {"error":"invalid_token","error_description":"Token signature verification failed"}""")
                        .send(request, response);
            }
            String requestId = recorded.header("PayPal-Request-Id");
            FakeReply reply = requestId == null ? answer(recorded)
                    : answered.computeIfAbsent(recorded.path() + " " + requestId, unused -> answer(recorded));
            return reply.send(request, response);
        });
    }

    public FakePayPalServer replies(FakeReply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public FakePayPalServer tokenReplies(FakeReply... replies) {
        tokenScript.addAll(List.of(replies));
        return this;
    }

    public void tokenLifetime(long seconds) {
        tokenLifetimeSeconds = seconds;
    }

    /** PayPal no longer honours the tokens issued so far (revoked, or expired early). */
    public void revokeTokens() {
        validTokens.clear();
    }

    /** The payer approved the order at PayPal. */
    public void approve(String orderId) {
        orders.get(orderId).put("status", "APPROVED");
    }

    /** The payer's funding source will be declined on capture. */
    public void declineOnCapture(String orderId) {
        declineOnCapture.add(orderId);
    }

    /** Drops scripted replies no request took, so a test that scripted more than it used leaves none to the next. */
    public void forgetScript() {
        script.clear();
        tokenScript.clear();
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

    public List<RecordedRequest> tokenRequests() {
        return requests("POST", "/v1/oauth2/token");
    }

    private FakeReply token(RecordedRequest request) {
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(request.header("Authorization")) || !"grant_type=client_credentials".equals(request.body())) {
            return FakeReply.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client Authentication failed\"}");
        }
        String token = "A21AAFEpH4PsADK7qSS7pSRsgzfENtu-Q1ysgEDVDESseMHBYXVJYE8ovjj68elIDy8nF26AwPhfXTIeWAZHSLIsQkSYz9ifg"
                + ids.incrementAndGet();
        validTokens.add(token);
        return FakeReply.json(200, """
                {"scope":"https://uri.paypal.com/services/payments/payment/authcapture openid","access_token":"%s",
                 "token_type":"Bearer","app_id":"APP-80W284485P519543T","expires_in":%d,"nonce":"2026-03-02T09:00:00Z"}"""
                .formatted(token, tokenLifetimeSeconds));
    }

    private FakeReply answer(RecordedRequest request) {
        String path = request.path();
        String method = request.method();
        if (method.equals("POST") && path.equals("/v2/checkout/orders")) {
            return createOrder(JSON.readTree(request.body()));
        }
        if (method.equals("GET") && path.startsWith("/v2/checkout/orders/")) {
            ObjectNode order = orders.get(path.substring("/v2/checkout/orders/".length()));
            return order == null ? notFound() : ok(order);
        }
        if (method.equals("POST") && path.startsWith("/v2/checkout/orders/") && path.endsWith("/capture")) {
            return capture(path.split("/")[4]);
        }
        if (method.equals("POST") && path.startsWith("/v2/payments/captures/") && path.endsWith("/refund")) {
            return refund(path.split("/")[4], JSON.readTree(request.body()));
        }
        if (method.equals("POST") && path.equals("/v1/notifications/verify-webhook-signature")) {
            JsonNode verify = JSON.readTree(request.body());
            boolean genuine = GENUINE_SIGNATURE.equals(verify.path("transmission_sig").asString())
                    && verify.path("webhook_event").isObject();
            return FakeReply.json(200, "{\"verification_status\":\"" + (genuine ? "SUCCESS" : "FAILURE") + "\"}");
        }
        return notFound();
    }

    private FakeReply createOrder(JsonNode request) {
        String id = "5O190127TN36471" + ids.incrementAndGet();
        ObjectNode order = JSON.createObjectNode();
        order.put("id", id);
        order.put("intent", request.path("intent").asString());
        order.set("purchase_units", request.path("purchase_units").deepCopy());
        order.put("create_time", "2026-03-02T09:00:00Z");
        boolean experience = request.path("payment_source").path("paypal").has("experience_context");
        order.put("status", experience ? "PAYER_ACTION_REQUIRED" : "CREATED");
        var links = order.putArray("links");
        links.addObject().put("href", "https://api.sandbox.paypal.com/v2/checkout/orders/" + id).put("rel", "self")
                .put("method", "GET");
        links.addObject().put("href", "https://www.sandbox.paypal.com/checkoutnow?token=" + id)
                .put("rel", experience ? "payer-action" : "approve").put("method", "GET");
        orders.put(id, order);
        return FakeReply.json(201, JSON.writeValueAsString(order));
    }

    private FakeReply capture(String orderId) {
        ObjectNode order = orders.get(orderId);
        if (order == null) {
            return notFound();
        }
        if (order.path("status").asString().equals("COMPLETED")) {
            return unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured.");
        }
        if (!order.path("status").asString().equals("APPROVED")) {
            return unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment.");
        }
        if (declineOnCapture.contains(orderId)) {
            return unprocessable("INSTRUMENT_DECLINED", "The instrument presented was either declined by the processor "
                    + "or bank, or it can't be used for this payment.");
        }
        ObjectNode unit = (ObjectNode) order.path("purchase_units").path(0);
        ObjectNode capture = unit.putObject("payments").putArray("captures").addObject();
        capture.put("id", "3C679366HH90839" + ids.incrementAndGet());
        capture.put("status", "COMPLETED");
        capture.set("amount", unit.path("amount").deepCopy());
        capture.put("final_capture", true);
        capture.put("custom_id", unit.path("custom_id").asString());
        order.put("status", "COMPLETED");
        return FakeReply.json(201, JSON.writeValueAsString(order));
    }

    private FakeReply refund(String captureId, JsonNode request) {
        JsonNode capture = orders.values().stream()
                .map(order -> order.path("purchase_units").path(0).path("payments").path("captures").path(0))
                .filter(candidate -> captureId.equals(candidate.path("id").asString()))
                .findFirst().orElse(null);
        if (capture == null) {
            return notFound();
        }
        if (new BigDecimal(request.path("amount").path("value").asString())
                .compareTo(new BigDecimal(capture.path("amount").path("value").asString())) > 0) {
            return unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the capture amount "
                    + "that has not yet been refunded.");
        }
        ObjectNode refund = JSON.createObjectNode();
        refund.put("id", "1JU08902781691411" + ids.incrementAndGet());
        refund.set("amount", request.path("amount").deepCopy());
        refund.put("status", "COMPLETED");
        refund.put("custom_id", request.path("custom_id").asString());
        return FakeReply.json(201, JSON.writeValueAsString(refund));
    }

    private static FakeReply unprocessable(String issue, String description) {
        return FakeReply.json(422, """
                {"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"%s","description":"%s"}],
                 "message":"The requested action could not be performed, semantically incorrect, or failed business validation.",
                 "debug_id":"f0e2b8c3a1d4e"}""".formatted(issue, description));
    }

    private static FakeReply notFound() {
        return FakeReply.json(404, """
                {"name":"RESOURCE_NOT_FOUND","details":[{"issue":"INVALID_RESOURCE_ID",
                 "description":"Specified resource ID does not exist. Please check the resource ID and try again."}],
                 "message":"The specified resource does not exist.","debug_id":"b1c3a7f2d9e01"}""");
    }

    private static FakeReply ok(JsonNode body) {
        return FakeReply.json(200, JSON.writeValueAsString(body));
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
