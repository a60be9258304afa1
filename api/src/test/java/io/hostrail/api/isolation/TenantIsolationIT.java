package io.hostrail.api.isolation;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.LargeResponses;
import io.hostrail.identity.service.TenantBootstrap;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tenant isolation for every operation the API documents, not for a hand-kept list. The suite walks the OpenAPI
 * document; every operation under {@code /api/v1} whose path holds a parameter is called by tenant B's owner with
 * tenant A's ids. Each call must answer 404, exactly as for an id that never existed, naming nothing of A's; and
 * afterwards A's items must be exactly as they were, version included. An endpoint is covered as soon as it is
 * documented, and one the suite cannot aim at fails it by name rather than being skipped.
 *
 * <p>The second dimension, a client user (a customer's login) trying another customer's ids within one tenant, is
 * added here when client users exist (they come with customers, #4).
 */
@HostrailIntegrationTest
class TenantIsolationIT {

    private static final String PASSWORD = "a long and unguessable passphrase";
    /** users get, roles and status; roles get, put and delete: what the API has today. */
    private static final int OPERATIONS_TODAY = 6;
    /** Reads first, deletes last: a delete that leaked would otherwise make the later calls 404 for the wrong reason. */
    private static final List<HttpMethod> METHODS_IN_ORDER =
            List.of(HttpMethod.GET, HttpMethod.PATCH, HttpMethod.PUT, HttpMethod.POST, HttpMethod.DELETE);
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonNode UUID_SCHEMA = NODES.objectNode().put("type", "string").put("format", "uuid");

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    private JsonNode apiDocs;
    /** Tenant A's item per collection path, so every operation on one resource aims at the same item. */
    private final Map<String, VictimItem> victims = new LinkedHashMap<>();
    /**
     * Body properties that name another item, and the collection it lives in: a draft invoice needs a real customer.
     * They are filled with tenant A's item, so tenant B's attempts also carry A's ids in their bodies.
     */
    private static final Map<String, String> REFERENCES = Map.of("customerId", "/api/v1/customers", "productId", "/api/v1/products");
    private Tenant referenceOwner;
    /**
     * Collections whose items no POST of their own makes: they come out of a flow of other operations, which tenant A's
     * owner goes through here. Each returns the new item's id.
     */
    private final Map<String, Function<Tenant, String>> setUps = Map.of("/api/v1/credit-notes", this::creditNoteOf,
            "/api/v1/payments", this::paymentOf, "/api/v1/webhook-events", this::webhookEventOf,
            "/api/v1/payment-attempts", this::paymentAttemptOf,
            "/api/v1/customers/{id}/payment-methods", this::savedPaymentMethodOf);

    private record Tenant(String slug, String ownerEmail, String token, String tenantId, String ownerUserId) {
    }

    /** One documented operation whose path takes a parameter. */
    private record IdOperation(HttpMethod method, String template, JsonNode pathItem, JsonNode operation) {

        String label() {
            return method.name() + " " + template;
        }
    }

    /** A path with its parameters filled in, and the values used, which a response may echo back. */
    private record ConcretePath(String path, List<String> ids) {
    }

    /** An item of tenant A that some operation's path points at. */
    private record VictimItem(String collectionTemplate, String collectionPath, String parameter, String id, String origin) {

        String itemTemplate() {
            return collectionTemplate + "/{" + parameter + "}";
        }

        String itemPath() {
            return collectionPath + "/" + id;
        }
    }

    private record Response(int status, MediaType contentType, String body) {
    }

    @Test
    @DisplayName("every documented operation on an id answers another tenant's ids with a bare 404 and changes nothing")
    void anotherTenantsIdsAreNotFoundEverywhere() {
        apiDocs = json(call(null, HttpMethod.GET, "/v3/api-docs", Map.of(), Map.of(), null).body());
        List<IdOperation> operations = idOperations();
        assertThat(operations).as("operations under /api/v1 with a path parameter in /v3/api-docs")
                .hasSizeGreaterThanOrEqualTo(OPERATIONS_TODAY);

        Tenant a = signUp();
        Tenant b = signUp();
        referenceOwner = a;
        Map<String, ConcretePath> pathsIntoA = new LinkedHashMap<>();
        for (IdOperation operation : operations) {
            pathsIntoA.put(operation.label(), withIdsOf(a, operation.template()));
        }
        Map<String, String> secretsOfA = secretsOf(a);
        Map<String, JsonNode> before = snapshot(a);

        SoftAssertions softly = new SoftAssertions();
        List<String> covered = new ArrayList<>();
        for (IdOperation operation : operations) {
            covered.add(attemptAsIntruder(softly, b, operation, pathsIntoA.get(operation.label()), secretsOfA));
        }
        Map<String, JsonNode> after = snapshot(a);
        before.forEach((path, was) -> softly.assertThat(after.get(path))
                .as("tenant A's %s after tenant B's attempts", path).isEqualTo(was));

        report(covered);
        softly.assertAll();
    }

    // --- The attempt -------------------------------------------------------------------------------------------

    /**
     * Calls the operation as the intruder twice: with tenant A's ids and with ids that never existed. Both must be the
     * same 404, so a caller cannot even learn that A's id exists; the echo of the id the caller sent is no leak.
     */
    private String attemptAsIntruder(SoftAssertions softly, Tenant intruder, IdOperation operation, ConcretePath intoA,
            Map<String, String> secretsOfA) {
        // One body and one set of parameters for both calls, so only the ids differ between them.
        String label = operation.label();
        JsonNode body = requestBody(label, operation.operation());
        Map<String, String> query = requiredParameters(operation.pathItem(), operation.operation(), label, "query");
        Map<String, String> headers = requiredParameters(operation.pathItem(), operation.operation(), label, "header");
        ConcretePath unknown = withUnknownIds(operation);

        Response aimedAtA = call(intruder, operation.method(), intoA.path(), query, headers, body);
        Response aimedAtNothing = call(intruder, operation.method(), unknown.path(), query, headers, body);

        softly.assertThat(aimedAtA.status())
                .as("%s with tenant A's ids (%s) answered %s", label, intoA.path(), aimedAtA.body()).isEqualTo(404);
        softly.assertThat(String.valueOf(aimedAtA.contentType())).as("%s: content type of the 404", label)
                .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String seen = withoutEchoes(aimedAtA.body(), intoA.ids());
        secretsOfA.forEach((what, value) -> softly.assertThat(seen)
                .as("%s: the problem names tenant A's %s", label, what).doesNotContainIgnoringCase(value));
        softly.assertThat(seen).as("%s: tenant A's id is told apart from an id that never existed", label)
                .isEqualTo(withoutEchoes(aimedAtNothing.body(), unknown.ids()));
        return "%-7s %-28s -> %d (never-existing id: %d)".formatted(operation.method().name(), operation.template(),
                aimedAtA.status(), aimedAtNothing.status());
    }

    /** The body without its request id, and with the ids the caller sent replaced, so two answers compare. */
    private static String withoutEchoes(String body, List<String> sentIds) {
        String text = body;
        try {
            JsonNode problem = json(body);
            if (problem instanceof ObjectNode object) {
                object.remove("requestId");
            }
            text = problem.isMissingNode() ? "" : JSON.writeValueAsString(problem);
        } catch (JacksonException notJson) {
            // Compared as it came.
        }
        for (String id : sentIds) {
            text = text.replace(id, "{id}");
        }
        return text;
    }

    /** What would betray tenant A to B: A's names, and every id of A's the suite knows. */
    private Map<String, String> secretsOf(Tenant a) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("slug", a.slug());
        secrets.put("owner's email", a.ownerEmail());
        secrets.put("tenant id", a.tenantId());
        secrets.put("owner's user id", a.ownerUserId());
        victims.values().forEach(victim -> secrets.put("id in " + victim.collectionTemplate(), victim.id()));
        return secrets;
    }

    // --- Walking the OpenAPI document ---------------------------------------------------------------------------

    private List<IdOperation> idOperations() {
        List<IdOperation> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : apiDocs.path("paths").properties()) {
            if (!path.getKey().startsWith("/api/v1/") || !PATH_PARAMETER.matcher(path.getKey()).find()) {
                continue;
            }
            // A provider's webhook is addressed to a tenant by design and carries the provider's signature, not a
            // token: StripeWebhookIT shows that nothing but that tenant's own secret opens it.
            if (path.getKey().startsWith("/api/v1/webhooks/")) {
                continue;
            }
            for (HttpMethod method : METHODS_IN_ORDER) {
                JsonNode operation = path.getValue().path(method.name().toLowerCase(Locale.ROOT));
                if (!operation.isMissingNode()) {
                    found.add(new IdOperation(method, path.getKey(), path.getValue(), operation));
                }
            }
        }
        found.sort(Comparator.<IdOperation>comparingInt(operation -> METHODS_IN_ORDER.indexOf(operation.method()))
                .thenComparing(IdOperation::template));
        return found;
    }

    private boolean documents(HttpMethod method, String template) {
        return !apiDocs.path("paths").path(template).path(method.name().toLowerCase(Locale.ROOT)).isMissingNode();
    }

    /** Required query or header parameters of an operation (path-level and its own), with values their schemas accept. */
    private Map<String, String> requiredParameters(JsonNode pathItem, JsonNode operation, String label, String in) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode parameter : parametersOf(pathItem, operation)) {
            String name = parameter.path("name").asString("");
            if (in.equals(parameter.path("in").asString("")) && parameter.path("required").asBoolean(false)
                    && !name.equalsIgnoreCase("Authorization")) {
                values.put(name, sample(parameter.path("schema"), label + " " + in + " " + name,
                        new ArrayDeque<>()).asString());
            }
        }
        return values;
    }

    private List<JsonNode> parametersOf(JsonNode pathItem, JsonNode operation) {
        List<JsonNode> parameters = new ArrayList<>();
        pathItem.path("parameters").forEach(parameter -> parameters.add(resolve(parameter)));
        operation.path("parameters").forEach(parameter -> parameters.add(resolve(parameter)));
        return parameters;
    }

    private JsonNode resolve(JsonNode node) {
        String ref = text(node.path("$ref"));
        if (ref == null) {
            return node;
        }
        assertThat(ref).as("only local references are followed").startsWith("#/");
        JsonNode target = apiDocs.at(ref.substring(1));
        assertThat(target.isMissingNode()).as("%s resolves", ref).isFalse();
        return resolve(target);
    }

    // --- Tenant A's items ---------------------------------------------------------------------------------------

    /** The template with tenant A's ids, left to right: each parameter names an item of the path before it. */
    private ConcretePath withIdsOf(Tenant owner, String template) {
        Matcher parameter = PATH_PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        List<String> ids = new ArrayList<>();
        int end = 0;
        while (parameter.find()) {
            path.append(template, end, parameter.start());
            String collectionTemplate = withoutTrailingSlash(template.substring(0, parameter.start()));
            String collectionPath = withoutTrailingSlash(path.toString());
            String name = parameter.group(1);
            VictimItem victim = victim(owner, collectionTemplate, collectionPath, name);
            path.append(victim.id());
            ids.add(victim.id());
            end = parameter.end();
        }
        return new ConcretePath(path.append(template.substring(end)).toString(), ids);
    }

    /** Not computeIfAbsent: making one item may need another first (a customer for an invoice). */
    private VictimItem victim(Tenant owner, String collectionTemplate, String collectionPath, String parameter) {
        VictimItem victim = victims.get(collectionPath);
        if (victim == null) {
            victim = findOrCreateItem(owner, collectionTemplate, collectionPath, parameter);
            victims.put(collectionPath, victim);
        }
        return victim;
    }

    /**
     * An item of tenant A in the collection. A freshly created one comes first: what a tenant starts with (its owner,
     * the built-in roles) is protected by rules of its own (the last owner stays, built-ins never change), so a write
     * that leaked across tenants would be refused for the wrong reason and the before-and-after check would prove
     * nothing. An existing item is the fallback; a collection with neither fails the suite by name.
     */
    private VictimItem findOrCreateItem(Tenant owner, String collectionTemplate, String collectionPath, String parameter) {
        if (documents(HttpMethod.POST, collectionTemplate)) {
            String label = "POST " + collectionTemplate;
            Response created = callDocumented(owner, HttpMethod.POST, collectionTemplate, collectionPath);
            if (created.status() / 100 == 2) {
                String id = idOfCreated(json(created.body()), parameter);
                if (id != null) {
                    return new VictimItem(collectionTemplate, collectionPath, parameter, id, "created by " + label);
                }
            } else {
                System.out.printf("TenantIsolationIT: %s as tenant A answered %d %s; aiming at an existing item instead%n",
                        label, created.status(), created.body());
            }
        }
        Function<Tenant, String> setUp = setUps.get(collectionTemplate);
        if (setUp != null) {
            return new VictimItem(collectionTemplate, collectionPath, parameter, setUp.apply(owner),
                    "set up for " + collectionTemplate);
        }
        if (documents(HttpMethod.GET, collectionTemplate)) {
            JsonNode listing = json(callDocumented(owner, HttpMethod.GET, collectionTemplate, collectionPath).body());
            for (JsonNode item : listing.isArray() ? listing : listing.path("items")) {
                String id = idOf(item, parameter);
                if (id != null) {
                    return new VictimItem(collectionTemplate, collectionPath, parameter, id,
                            "listed by GET " + collectionTemplate);
                }
            }
        }
        return fail("""
                Tenant A has no item to aim at for the {%s} in %s: %s has no POST this suite can satisfy and no GET \
                listing an item with an id. Teach TenantIsolationIT to set one up.""",
                parameter, collectionTemplate + "/{" + parameter + "}", collectionTemplate);
    }

    /** A payment by bank transfer on a finalized invoice of tenant A. */
    private String paymentOf(Tenant owner) {
        String invoicePath = "/api/v1/invoices/" + finalizedInvoiceOf(owner);
        ObjectNode payment = NODES.objectNode().put("amount", "40.00").put("method", "bank_transfer")
                .put("reference", "Isolation");
        Response created = call(owner, HttpMethod.POST, invoicePath + "/payments", Map.of(), Map.of(), payment);
        assertThat(created.status()).as("tenant A's payment: %s", created.body()).isEqualTo(201);
        return json(created.body()).path("id").asString();
    }

    /** A Stripe checkout of tenant A's finalized invoice, through the fake Stripe. */
    private String paymentAttemptOf(Tenant owner) {
        ObjectNode keys = NODES.objectNode().put("secretKey", "sk_test_isolation0123456789")
                .put("publishableKey", "pk_test_isolation0123456789");
        Response connected = call(owner, HttpMethod.PUT, "/api/v1/settings/payment-providers/stripe", Map.of(),
                Map.of(), keys);
        assertThat(connected.status()).as("tenant A's Stripe account: %s", connected.body()).isEqualTo(200);
        Response checkout = call(owner, HttpMethod.POST, "/api/v1/invoices/" + finalizedInvoiceOf(owner)
                + "/checkout", Map.of(), Map.of(), NODES.objectNode().put("provider", "stripe"));
        assertThat(checkout.status()).as("tenant A's checkout: %s", checkout.body()).isEqualTo(201);
        return json(checkout.body()).path("attempt").path("id").asString();
    }

    /**
     * A card saved for tenant A's customer: Stripe connected, a set-up started, confirmed at the fake Stripe as Stripe.js
     * would, and synced.
     */
    private String savedPaymentMethodOf(Tenant owner) {
        String customer = victim(owner, "/api/v1/customers", "/api/v1/customers", "id").id();
        ObjectNode keys = NODES.objectNode().put("secretKey", "sk_test_51Isolation0123456789abcdef")
                .put("publishableKey", "pk_test_51Isolation0123456789abcdef");
        Response connected = call(owner, HttpMethod.PUT, "/api/v1/settings/payment-providers/stripe", Map.of(),
                Map.of(), keys);
        assertThat(connected.status()).as("tenant A's Stripe account: %s", connected.body()).isEqualTo(200);
        String methods = "/api/v1/customers/" + customer + "/payment-methods";
        Response setup = call(owner, HttpMethod.POST, methods + "/setups", Map.of(), Map.of(), null);
        assertThat(setup.status()).as("tenant A's card set-up: %s", setup.body()).isEqualTo(201);
        FakeProviders.stripe().confirmSetup(json(setup.body()).path("clientSecret").asString(), "pm_card_visa");
        Response synced = call(owner, HttpMethod.POST, methods + "/sync", Map.of(), Map.of(), null);
        assertThat(synced.status()).as("tenant A's card sync: %s", synced.body()).isEqualTo(200);
        return json(synced.body()).path("items").path(0).path("id").asString();
    }

    /** A Stripe delivery to tenant A's endpoint, signed with the secret tenant A set. */
    private String webhookEventOf(Tenant owner) {
        String secret = "whsec_isolation0123456789";
        ObjectNode secrets = NODES.objectNode();
        secrets.putArray("webhookSecrets").add(secret);
        Response set = call(owner, HttpMethod.PUT, "/api/v1/settings/payment-providers/stripe/webhook-secrets",
                Map.of(), Map.of(), secrets);
        assertThat(set.status()).as("tenant A's Stripe secret: %s", set.body()).isEqualTo(204);
        ObjectNode event = NODES.objectNode().put("id", "evt_isolation").put("object", "event")
                .put("type", "customer.created").put("created", java.time.Instant.now().getEpochSecond());
        event.putObject("data").putObject("object").put("id", "cus_isolation").put("object", "customer");
        String signature = io.hostrail.payment.model.StripeSignature.header(secret,
                java.time.Instant.now().getEpochSecond(), JSON.writeValueAsBytes(event));
        Response delivered = call(null, HttpMethod.POST, "/api/v1/webhooks/stripe/" + owner.tenantId(), Map.of(),
                Map.of("Stripe-Signature", signature), event);
        assertThat(delivered.status()).as("a Stripe delivery to tenant A: %s", delivered.body()).isEqualTo(200);
        return json(delivered.body()).path("id").asString();
    }

    private String finalizedInvoiceOf(Tenant owner) {
        String customer = victim(owner, "/api/v1/customers", "/api/v1/customers", "id").id();
        ObjectNode draft = NODES.objectNode().put("customerId", customer);
        draft.putArray("lines").addObject().put("description", "Isolation").put("unitPrice", "100.00");
        Response invoice = call(owner, HttpMethod.POST, "/api/v1/invoices", Map.of(), Map.of(), draft);
        assertThat(invoice.status()).as("tenant A's invoice: %s", invoice.body()).isEqualTo(201);
        String id = json(invoice.body()).path("id").asString();
        Response finalized = call(owner, HttpMethod.POST, "/api/v1/invoices/" + id + "/finalize", Map.of(), Map.of(),
                null);
        assertThat(finalized.status()).as("finalizing tenant A's invoice: %s", finalized.body()).isEqualTo(200);
        return id;
    }

    /**
     * A credit note is issued on a finalized invoice that has something to give back, which the draft made from the
     * invoice examples (no lines) is not. So the invoice is made by hand and finalized; the credit note itself comes
     * from its documented examples, which must be valid on such an invoice.
     */
    private String creditNoteOf(Tenant owner) {
        String customer = victim(owner, "/api/v1/customers", "/api/v1/customers", "id").id();
        ObjectNode draft = NODES.objectNode().put("customerId", customer);
        draft.putArray("lines").addObject().put("description", "Isolation").put("unitPrice", "100.00");
        Response invoice = call(owner, HttpMethod.POST, "/api/v1/invoices", Map.of(), Map.of(), draft);
        assertThat(invoice.status()).as("tenant A's invoice to credit: %s", invoice.body()).isEqualTo(201);
        String invoicePath = "/api/v1/invoices/" + json(invoice.body()).path("id").asString();
        Response finalized = call(owner, HttpMethod.POST, invoicePath + "/finalize", Map.of(), Map.of(), null);
        assertThat(finalized.status()).as("finalizing tenant A's invoice: %s", finalized.body()).isEqualTo(200);
        Response created = callDocumented(owner, HttpMethod.POST, "/api/v1/invoices/{id}/credit-notes",
                invoicePath + "/credit-notes");
        assertThat(created.status()).as("POST /api/v1/invoices/{id}/credit-notes from its documented examples: %s",
                created.body()).isEqualTo(201);
        return json(created.body()).path("id").asString();
    }

    /** A created item's id, also when the answer wraps it ({@code {"apiKey": {...}, "key": "..."}}). */
    private static String idOfCreated(JsonNode answer, String parameter) {
        String id = idOf(answer, parameter);
        for (JsonNode property : answer.values()) {
            if (id == null && property.isObject()) {
                id = idOf(property, parameter);
            }
        }
        return id;
    }

    /** The value for a path parameter: the item's property of that name ({@code {number}}), else its {@code id}. */
    private static String idOf(JsonNode item, String parameter) {
        String named = text(item.path(parameter));
        return named != null && !named.isBlank() ? named : text(item.path("id"));
    }

    private ConcretePath withUnknownIds(IdOperation operation) {
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        for (JsonNode parameter : parametersOf(operation.pathItem(), operation.operation())) {
            if ("path".equals(parameter.path("in").asString(""))) {
                schemas.put(parameter.path("name").asString(""), parameter.path("schema"));
            }
        }
        Matcher parameter = PATH_PARAMETER.matcher(operation.template());
        StringBuilder path = new StringBuilder();
        List<String> ids = new ArrayList<>();
        while (parameter.find()) {
            JsonNode schema = schemas.getOrDefault(parameter.group(1), UUID_SCHEMA);
            String id = sample(schema, operation.label() + " path " + parameter.group(1), new ArrayDeque<>()).asString();
            ids.add(id);
            parameter.appendReplacement(path, Matcher.quoteReplacement(id));
        }
        parameter.appendTail(path);
        return new ConcretePath(path.toString(), ids);
    }

    /** Tenant A's view of each item aimed at, and of its collection: whatever a leaking call could have changed. */
    private Map<String, JsonNode> snapshot(Tenant owner) {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        for (VictimItem victim : victims.values()) {
            boolean item = documents(HttpMethod.GET, victim.itemTemplate());
            boolean collection = documents(HttpMethod.GET, victim.collectionTemplate());
            if (!item && !collection) {
                fail("Cannot show tenant A's %s unchanged: neither GET %s nor GET %s is documented",
                        victim.itemPath(), victim.itemTemplate(), victim.collectionTemplate());
            }
            if (item) {
                seen.put(victim.itemPath(), stateAt(owner, victim.itemTemplate(), victim.itemPath()));
            }
            if (collection) {
                seen.put(victim.collectionPath(), stateAt(owner, victim.collectionTemplate(), victim.collectionPath()));
            }
        }
        return seen;
    }

    private JsonNode stateAt(Tenant owner, String template, String path) {
        Response response = callDocumented(owner, HttpMethod.GET, template, path);
        return response.status() == 200 ? json(response.body()) : NODES.stringNode("HTTP " + response.status());
    }

    // --- Request bodies from schemas ------------------------------------------------------------------------------

    /** A JSON body the operation's schema accepts, or null when it takes none. */
    private JsonNode requestBody(String label, JsonNode operation) {
        JsonNode requestBody = resolve(operation.path("requestBody"));
        if (requestBody.isMissingNode()) {
            return null;
        }
        JsonNode json = requestBody.path("content").path(MediaType.APPLICATION_JSON_VALUE);
        if (json.isMissingNode()) {
            fail("%s takes %s; TenantIsolationIT builds application/json bodies only", label,
                    requestBody.path("content").propertyNames());
        }
        return sample(json.path("schema"), label + " body", new ArrayDeque<>());
    }

    /**
     * A value the schema accepts: every property, required or not, so optional fields are exercised too. Integers are
     * their documented example (a stock limit of 100, not a sold-out 0), else the smallest allowed from 0, which makes
     * a {@code version} 0, the version of a freshly made item: a write that leaked would then apply rather than be
     * turned away as stale.
     */
    private JsonNode sample(JsonNode schemaOrRef, String at, Deque<String> refsInProgress) {
        String ref = text(schemaOrRef.path("$ref"));
        if (ref != null) {
            if (refsInProgress.contains(ref)) {
                return fail("%s: %s requires itself; TenantIsolationIT cannot build a finite value", at, ref);
            }
            refsInProgress.push(ref);
            try {
                return sample(resolve(schemaOrRef), at, refsInProgress);
            } finally {
                refsInProgress.pop();
            }
        }
        JsonNode schema = schemaOrRef;
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        if (schema.has("allOf")) {
            return sample(merged(schema), at, refsInProgress);
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.path(choice).isArray() && !schema.path(choice).isEmpty()) {
                return sample(schema.path(choice).get(0), at, refsInProgress);
            }
        }
        return switch (typeOf(schema)) {
            case "object" -> objectSample(schema, at, refsInProgress);
            case "array" -> arraySample(schema, at, refsInProgress);
            case "string" -> NODES.stringNode(stringSample(schema, at));
            case "integer" -> NODES.numberNode(documentedExample(schema)
                    .orElseGet(() -> smallestAllowed(schema)).setScale(0, RoundingMode.CEILING).longValueExact());
            case "number" -> NODES.numberNode(smallestAllowed(schema));
            case "boolean" -> NODES.booleanNode(false);
            case "null" -> NODES.nullNode();
            default -> fail("%s: TenantIsolationIT cannot build a value of %s", at, schema);
        };
    }

    /** The schema's example as a number, when it has one within the schema's bounds. */
    private static java.util.Optional<BigDecimal> documentedExample(JsonNode schema) {
        JsonNode example = schema.path("example");
        BigDecimal value;
        try {
            value = example.isNumber() ? example.decimalValue()
                    : example.isString() ? new BigDecimal(example.stringValue().strip()) : null;
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.compareTo(smallestAllowed(schema)) < 0
                || (schema.has("maximum") && value.compareTo(schema.path("maximum").decimalValue()) > 0)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(value);
    }

    private JsonNode objectSample(JsonNode schema, String at, Deque<String> refsInProgress) {
        ObjectNode object = NODES.objectNode();
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode propertySchema = property.getValue();
            boolean optional = !required.contains(property.getKey());
            // Read-only properties belong to responses; an optional one that leads back to its parent would never end.
            if (optional && (isReadOnly(propertySchema) || leadsBack(propertySchema, refsInProgress))) {
                continue;
            }
            // An optional reference to another item (a product's group): a random id would name nothing, and the
            // operation would refuse it before it ever reached the item under test.
            String referenced = REFERENCES.get(property.getKey());
            if (referenced != null && referenceOwner != null) {
                object.put(property.getKey(), victim(referenceOwner, referenced, referenced, "id").id());
                continue;
            }
            if (optional && "uuid".equals(propertySchema.path("format").asString(""))) {
                continue;
            }
            // Likewise an optional code naming another item (a coupon at checkout): a made-up one would be refused.
            if (optional && property.getKey().endsWith("Code") && "string".equals(typeOf(propertySchema))) {
                continue;
            }
            object.set(property.getKey(), sample(propertySchema, at + "." + property.getKey(), refsInProgress));
        }
        return object;
    }

    /** The schema's example when it documents one (the values may have a form no schema keyword states), else items. */
    private JsonNode arraySample(JsonNode schema, String at, Deque<String> refsInProgress) {
        JsonNode example = schema.path("example");
        if (example.isString() && example.stringValue().strip().startsWith("[")) {
            example = json(example.stringValue());
        }
        if (example.isArray()) {
            return example;
        }
        ArrayNode array = NODES.arrayNode();
        int count = schema.path("minItems").asInt(0);
        for (int i = 0; i < count; i++) {
            array.add(sample(schema.path("items"), at + "[" + i + "]", refsInProgress));
        }
        return array;
    }

    /**
     * The first candidate that fits the length and pattern: the schema's example, a value for its format, a literal
     * alternative of its pattern ({@code active|disabled}), then a long random token. The token rather than "x" passes
     * minimum lengths, password rules and unique constraints alike.
     */
    private static String stringSample(JsonNode schema, String at) {
        int minLength = schema.path("minLength").asInt(0);
        int maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        String pattern = text(schema.path("pattern"));
        List<String> candidates = new ArrayList<>();
        addText(candidates, schema.path("example"));
        schema.path("examples").forEach(example -> addText(candidates, example));
        switch (schema.path("format").asString("")) {
            case "email" -> candidates.add("isolation@example.test");
            case "uuid" -> candidates.add(UUID.randomUUID().toString());
            // A month ahead: request times are mostly expiries and schedules, which must lie in the future.
            case "date" -> candidates.add(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
            case "date-time" -> candidates.add(Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
            case "uri", "url" -> candidates.add("https://example.test/isolation");
            case "hostname" -> candidates.add("isolation.example.test");
            case "ipv4" -> candidates.add("192.0.2.1");
            default -> {
            }
        }
        if (pattern != null) {
            candidates.addAll(literalAlternatives(pattern));
        }
        candidates.add(randomToken(minLength, maxLength));
        return candidates.stream()
                .filter(candidate -> candidate.length() >= minLength && candidate.length() <= maxLength)
                .filter(candidate -> pattern == null || Pattern.compile(pattern).matcher(candidate).matches())
                .findFirst()
                .orElseGet(() -> fail("%s: no value TenantIsolationIT can make fits %s; teach stringSample", at, schema));
    }

    /** {@code ^(active|disabled)$} gives "active" and "disabled"; anything but a plain alternation gives nothing. */
    private static List<String> literalAlternatives(String pattern) {
        String core = pattern.replaceFirst("^\\^", "").replaceFirst("\\$$", "");
        if (core.startsWith("(") && core.endsWith(")")) {
            core = core.substring(core.startsWith("(?:") ? 3 : 1, core.length() - 1);
        }
        return List.of(core.split("\\|")).stream().filter(option -> LITERAL.matcher(option).matches()).toList();
    }

    private static String randomToken(int minLength, int maxLength) {
        int length = Math.max(minLength, Math.min(20, maxLength));
        StringBuilder token = new StringBuilder("x");
        while (token.length() < length) {
            token.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return token.substring(0, length);
    }

    private static BigDecimal smallestAllowed(JsonNode schema) {
        BigDecimal value = BigDecimal.ZERO;
        JsonNode minimum = schema.path("minimum");
        if (minimum.isNumber()) {
            value = value.max(minimum.decimalValue());
        }
        JsonNode exclusiveMinimum = schema.path("exclusiveMinimum");
        if (exclusiveMinimum.isNumber()) {
            value = value.max(exclusiveMinimum.decimalValue().add(BigDecimal.ONE));
        } else if (exclusiveMinimum.asBoolean(false) && minimum.isNumber() && value.compareTo(minimum.decimalValue()) == 0) {
            value = value.add(BigDecimal.ONE);
        }
        JsonNode maximum = schema.path("maximum");
        return maximum.isNumber() ? value.min(maximum.decimalValue()) : value;
    }

    /** OpenAPI 3.1 allows {@code type: [string, "null"]}: the first type that is not null. */
    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isString()) {
            return type.stringValue();
        }
        for (JsonNode option : type) {
            if (!"null".equals(option.asString())) {
                return option.asString();
            }
        }
        if (schema.has("items")) {
            return "array";
        }
        return "object";
    }

    private JsonNode merged(JsonNode schema) {
        ObjectNode merged = NODES.objectNode();
        ObjectNode properties = merged.putObject("properties");
        ArrayNode required = merged.putArray("required");
        List<JsonNode> parts = new ArrayList<>();
        schema.path("allOf").forEach(part -> parts.add(resolve(part)));
        parts.add(schema);
        for (JsonNode part : parts) {
            part.path("properties").properties().forEach(property -> properties.set(property.getKey(), property.getValue()));
            part.path("required").forEach(required::add);
        }
        merged.put("type", "object");
        return merged;
    }

    private boolean isReadOnly(JsonNode schema) {
        return schema.path("readOnly").asBoolean(false) || resolve(schema).path("readOnly").asBoolean(false);
    }

    private static boolean leadsBack(JsonNode schema, Deque<String> refsInProgress) {
        String ref = text(schema.path("$ref"));
        String itemsRef = text(schema.path("items").path("$ref"));
        return ref != null && refsInProgress.contains(ref) || itemsRef != null && refsInProgress.contains(itemsRef);
    }

    // --- HTTP and JSON ------------------------------------------------------------------------------------------

    private Tenant signUp() {
        String slug = newTenant(bootstrap, PASSWORD);
        String email = "owner@" + slug + ".test";
        String token = accessToken(http, slug, email, PASSWORD);
        Tenant withoutIds = new Tenant(slug, email, token, null, null);
        JsonNode me = json(call(withoutIds, HttpMethod.GET, "/api/v1/auth/me", Map.of(), Map.of(), null).body());
        return new Tenant(slug, email, token, me.path("tenantId").asString(), me.path("userId").asString());
    }

    /** A documented operation as tenant A's owner uses it: with its required parameters and a body its schema accepts. */
    private Response callDocumented(Tenant caller, HttpMethod method, String template, String path) {
        JsonNode pathItem = apiDocs.path("paths").path(template);
        JsonNode operation = pathItem.path(method.name().toLowerCase(Locale.ROOT));
        String label = method.name() + " " + template;
        return call(caller, method, path, requiredParameters(pathItem, operation, label, "query"),
                requiredParameters(pathItem, operation, label, "header"), requestBody(label, operation));
    }

    /** One request; {@code caller} null for an anonymous one, {@code body} null for none. */
    private Response call(Tenant caller, HttpMethod method, String path, Map<String, String> query,
            Map<String, String> headers, JsonNode body) {
        WebTestClient.RequestBodySpec request = LargeResponses.client(http).method(method)
                .uri(builder -> {
                    builder.path(path);
                    query.forEach((name, value) -> builder.queryParam(name, value));
                    return builder.build();
                })
                .headers(h -> {
                    if (caller != null) {
                        h.setBearerAuth(caller.token());
                    }
                    headers.forEach(h::set);
                });
        WebTestClient.RequestHeadersSpec<?> ready = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(body));
        EntityExchangeResult<byte[]> result = ready.exchange().expectBody().returnResult();
        byte[] bytes = result.getResponseBody();
        return new Response(result.getStatus().value(), result.getResponseHeaders().getContentType(),
                bytes == null ? "" : new String(bytes, UTF_8));
    }

    private static JsonNode json(String body) {
        return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static void addText(List<String> candidates, JsonNode node) {
        if (node.isString()) {
            candidates.add(node.stringValue());
        }
    }

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Printed so a reviewer sees what the walk reached, pass or fail. */
    private void report(List<String> covered) {
        StringBuilder report = new StringBuilder("TenantIsolationIT: tenant B's owner called ")
                .append(covered.size()).append(" operations with tenant A's ids:\n");
        covered.forEach(line -> report.append("  ").append(line).append('\n'));
        report.append("Tenant A's items aimed at:\n");
        victims.values().forEach(victim -> report.append("  ").append(victim.itemTemplate()).append(" = ")
                .append(victim.id()).append(" (").append(victim.origin()).append(")\n"));
        System.out.print(report);
    }
}
