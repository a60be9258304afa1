package io.hostrail.api.catalog;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The catalog through the API: groups, products with prices per cycle and currency, options, add-ons and stock. */
@HostrailIntegrationTest
class CatalogIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("a hosting product keeps its prices per cycle and currency, setup fees, options and add-ons")
    @SuppressWarnings("unchecked")
    void productWithEverything() {
        String groupId = id(post("/api/v1/product-groups", Map.of("name", "Shared hosting", "sortOrder", 10))
                .expectStatus().isCreated());
        String backupsId = id(post("/api/v1/products", addon("Daily backups")).expectStatus().isCreated());

        Map<String, Object> starter = hosting("Starter");
        starter.put("groupId", groupId);
        starter.put("stockLimit", 100);
        starter.put("addonIds", List.of(backupsId));
        Map<?, ?> created = post("/api/v1/products", starter).expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/products/[0-9a-f-]{36}")
                .expectBody(Map.class).returnResult().getResponseBody();
        String productId = (String) created.get("id");

        Map<?, ?> read = get("/api/v1/products/" + productId).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(read.get("kind")).isEqualTo("hosting");
        assertThat(read.get("groupId")).isEqualTo(groupId);
        assertThat(read.get("whmPackage")).isEqualTo("starter_5gb");
        assertThat(read.get("stockAvailable")).isEqualTo(100);
        assertThat(read.get("orderable")).isEqualTo(true);
        assertThat(read.get("addonIds")).isEqualTo(List.of(backupsId));
        assertThat((List<Object>) read.get("prices")).containsExactlyInAnyOrder(
                price("monthly", "EUR", "9.99", "5.00"), price("annual", "EUR", "99.00", "0.00"),
                price("monthly", "JPY", "1500", "0"), price("annual", "JPY", "15000", "0"));
        List<?> options = (List<?>) read.get("options");
        assertThat(options).hasSize(1);
        Map<?, ?> disk = (Map<?, ?>) options.getFirst();
        assertThat(disk.get("name")).isEqualTo("Extra disk");
        assertThat(disk.get("maxQuantity")).isEqualTo(50);
        assertThat((List<Object>) disk.get("prices")).contains(price("monthly", "EUR", "0.50", "0.00"));

        assertThat(count("SELECT count(*) AS n FROM outbox WHERE event_type = 'product.created' AND aggregate_id = :id",
                productId)).isEqualTo(1);
        get("/api/v1/audit?action=product.created&targetId=" + productId).expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    @DisplayName("an update replaces prices whole under the version read; option ids sent back are kept; stale is 409")
    void updateUnderVersion() {
        Map<?, ?> created = post("/api/v1/products", hosting("Starter")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String productId = (String) created.get("id");
        String optionId = (String) ((Map<?, ?>) ((List<?>) created.get("options")).getFirst()).get("id");

        Map<String, Object> changed = hosting("Starter plus");
        changed.put("version", 0);
        changed.put("status", "hidden");
        changed.put("prices", List.of(priceBody("monthly", "EUR", "12.00", "0"), priceBody("annual", "EUR", "120", "0")));
        changed.put("options", List.of(Map.of("id", optionId, "name", "Extra disk", "unit", "GB", "maxQuantity", 20,
                "prices", List.of(priceBody("monthly", "EUR", "0.40", "0"), priceBody("annual", "EUR", "4.00", "0")))));
        put("/api/v1/products/" + productId, changed).expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(1).jsonPath("$.status").isEqualTo("hidden")
                .jsonPath("$.prices.length()").isEqualTo(2).jsonPath("$.options[0].id").isEqualTo(optionId)
                .jsonPath("$.options[0].maxQuantity").isEqualTo(20);
        put("/api/v1/products/" + productId, changed).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        Map<String, Object> strangeOption = new HashMap<>(changed);
        strangeOption.put("version", 1);
        strangeOption.put("options", List.of(Map.of("id", UUID.randomUUID().toString(), "name", "Extra disk",
                "prices", List.of(priceBody("monthly", "EUR", "0.40", "0"), priceBody("annual", "EUR", "4.00", "0")))));
        put("/api/v1/products/" + productId, strangeOption).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("options[0].id");

        Map<String, Object> retired = new HashMap<>(changed);
        retired.put("version", 1);
        retired.put("status", "retired");
        put("/api/v1/products/" + productId, retired).expectStatus().isOk()
                .expectBody().jsonPath("$.orderable").isEqualTo(false);
        assertThat(count("SELECT count(*) AS n FROM outbox WHERE event_type = 'product.updated' AND aggregate_id = :id",
                productId)).isEqualTo(2);
    }

    @Test
    @DisplayName("null list items, a repeated option id and an offered add-on turning into something else are refused")
    void structuralMistakes() {
        for (String listWithNull : List.of("prices", "options", "addonIds")) {
            Map<String, Object> product = hosting("Broken");
            List<Object> withNull = new ArrayList<>();
            withNull.add(null);
            product.put(listWithNull, withNull);
            post("/api/v1/products", product).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }

        Map<?, ?> created = post("/api/v1/products", hosting("Starter")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> option = (Map<?, ?>) ((List<?>) created.get("options")).getFirst();
        Map<String, Object> twice = hosting("Starter");
        twice.put("version", 0);
        twice.put("options", List.of(option, Map.of("id", option.get("id"), "name", "Other disk", "prices", option.get("prices"))));
        put("/api/v1/products/" + created.get("id"), twice).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("options[1].id");

        String backups = id(post("/api/v1/products", addon("Backups")).expectStatus().isCreated());
        Map<String, Object> offering = hosting("Offering");
        offering.put("addonIds", List.of(backups));
        post("/api/v1/products", offering).expectStatus().isCreated();
        Map<String, Object> nowAService = addon("Backups");
        nowAService.put("kind", "service");
        nowAService.put("version", 0);
        put("/api/v1/products/" + backups, nowAService).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("kind");
        get("/api/v1/products/" + backups).expectBody().jsonPath("$.kind").isEqualTo("addon").jsonPath("$.version").isEqualTo(0);
        get("/api/v1/products").expectBody().jsonPath("$.items.length()").isEqualTo(3);
    }

    @Test
    @DisplayName("products are listed by kind, group and status, page by page")
    void listing() {
        String groupId = id(post("/api/v1/product-groups", Map.of("name", "VPS")).expectStatus().isCreated());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> product = hosting("Plan " + i);
            product.put("groupId", groupId);
            post("/api/v1/products", product).expectStatus().isCreated();
        }
        post("/api/v1/products", addon("Backups")).expectStatus().isCreated();
        Map<String, Object> soldOut = addon("Dedicated IP");
        soldOut.put("stockLimit", 0);
        soldOut.put("status", "hidden");
        post("/api/v1/products", soldOut).expectStatus().isCreated()
                .expectBody().jsonPath("$.orderable").isEqualTo(false).jsonPath("$.stockAvailable").isEqualTo(0);

        Map<?, ?> firstPage = get("/api/v1/products?groupId=" + groupId + "&limit=2").expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) firstPage.get("items")).hasSize(2);
        get("/api/v1/products?groupId=" + groupId + "&limit=2&after=" + firstPage.get("nextCursor"))
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.nextCursor").doesNotExist();
        get("/api/v1/products?kind=addon").expectBody().jsonPath("$.items.length()").isEqualTo(2);
        get("/api/v1/products?kind=addon&status=hidden").expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].name").isEqualTo("Dedicated IP");
        get("/api/v1/products?kind=vps").expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("kind");
        get("/api/v1/product-groups").expectBody().jsonPath("$.items[0].name").isEqualTo("VPS");
    }

    @Test
    @DisplayName("bad products are refused field by field with problem+json, and nothing is created")
    void badInputChangesNothing() {
        refused(p -> p.put("prices", List.of(priceBody("monthly", "XYZ", "9.99", "0"))), "prices[0].amount");
        refused(p -> p.put("prices", List.of(priceBody("monthly", "EUR", "9.999", "0"))), "prices[0].amount");
        refused(p -> p.put("prices", List.of(priceBody("monthly", "JPY", "1500.5", "0"))), "prices[0].amount");
        refused(p -> p.put("prices", List.of(priceBody("monthly", "EUR", "-1.00", "0"))), "prices[0]");
        refused(p -> p.put("prices", List.of(priceBody("weekly", "EUR", "1.00", "0"))), "prices[0].cycle");
        refused(p -> p.put("prices", List.of(priceBody("monthly", "EUR", "ten", "0"))), "prices[0].amount");
        refused(p -> p.put("prices", List.of(priceBody("monthly", "EUR", "1E+99999999", "0"))), "prices[0].amount");
        refused(p -> p.put("prices", List.of()), "prices");
        refused(p -> p.put("prices", List.of(priceBody("monthly", "EUR", "1", "0"), priceBody("monthly", "EUR", "2", "0"))),
                "prices");
        refused(p -> p.put("prices", List.of(priceBody("one_time", "EUR", "1", "0"), priceBody("monthly", "EUR", "2", "0"))),
                "prices");
        refused(p -> p.remove("whmPackage"), "whmPackage");
        refused(p -> p.put("kind", "domain"), "whmPackage");
        refused(p -> p.put("kind", "vps"), "kind");
        refused(p -> p.put("stockLimit", -1), "stockLimit");
        refused(p -> p.put("groupId", UUID.randomUUID().toString()), "groupId");
        refused(p -> p.put("addonIds", List.of(UUID.randomUUID().toString())), "addonIds");
        refused(p -> p.put("options", List.of(Map.of("name", "Extra disk",
                "prices", List.of(priceBody("monthly", "EUR", "0.50", "0"))))), "options");
        String hostingId = id(post("/api/v1/products", hosting("Real")).expectStatus().isCreated());
        refused(p -> p.put("addonIds", List.of(hostingId)), "addonIds");

        for (String malformed : List.of("{\"kind\": \"hosting\", \"prices\": ", "{\"kind\": \"hosting\", \"prices\": 7}",
                "{\"kind\": \"hosting\", \"stockLimit\": \"many\"}")) {
            http.post().uri("/api/v1/products").headers(h -> h.setBearerAuth(ownerToken))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(malformed).exchange()
                    .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        get("/api/v1/products").expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(hostingId);
    }

    @Test
    @DisplayName("another tenant's group and add-on are unknown here; its products are 404")
    void otherTenantsCatalogIsInvisible() {
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        String theirGroup = id(http.post().uri("/api/v1/product-groups").headers(h -> h.setBearerAuth(otherToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Theirs")).exchange());
        String theirAddon = id(http.post().uri("/api/v1/products").headers(h -> h.setBearerAuth(otherToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(addon("Their backups")).exchange());

        refused(p -> p.put("groupId", theirGroup), "groupId");
        refused(p -> p.put("addonIds", List.of(theirAddon)), "addonIds");
        get("/api/v1/products/" + theirAddon).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        get("/api/v1/product-groups/" + theirGroup).expectStatus().isNotFound();
        get("/api/v1/products").expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("changing the catalog needs product:write")
    void writingNeedsPermission() {
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "viewer@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(role("readonly"))))
                .exchange().expectStatus().isCreated();
        String viewer = accessToken(http, tenant, "viewer@" + tenant + ".test", PASSWORD);
        http.post().uri("/api/v1/products").headers(h -> h.setBearerAuth(viewer)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(hosting("Sneaky")).exchange().expectStatus().isForbidden();
        get("/api/v1/products").expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("a client user sees the storefront: products on sale, hidden ones by link, never retired or internals")
    void storefront() {
        String onSale = (String) post("/api/v1/products", hosting("On sale")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        Map<String, Object> hidden = hosting("By link only");
        hidden.put("status", "hidden");
        String byLink = (String) post("/api/v1/products", hidden).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        Map<String, Object> retired = hosting("Gone");
        retired.put("status", "retired");
        String gone = (String) post("/api/v1/products", retired).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        String customer = (String) post("/api/v1/customers", Map.of("name", "Acme", "email", "acme@example.test",
                "currency", "EUR")).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        post("/api/v1/customers/" + customer + "/users", Map.of("email", "jana@acme.example", "password", PASSWORD))
                .expectStatus().isCreated();
        String client = accessToken(http, tenant, "jana@acme.example", PASSWORD);
        http.get().uri("/api/v1/products").headers(h -> h.setBearerAuth(client)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(onSale)
                .jsonPath("$.items[0].whmPackage").doesNotExist().jsonPath("$.items[0].serverGroup").doesNotExist()
                .jsonPath("$.items[0].prices.length()").isEqualTo(4).jsonPath("$.items[0].orderable").isEqualTo(true);
        http.get().uri("/api/v1/products?status=retired").headers(h -> h.setBearerAuth(client)).exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
        http.get().uri("/api/v1/products/" + byLink).headers(h -> h.setBearerAuth(client)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("By link only");
        http.get().uri("/api/v1/products/" + gone).headers(h -> h.setBearerAuth(client)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/products").headers(h -> h.setBearerAuth(client)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(hosting("Sneaky")).exchange().expectStatus().isForbidden();
        get("/api/v1/products/" + onSale).expectBody().jsonPath("$.whmPackage").isEqualTo("starter_5gb");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private void refused(Consumer<Map<String, Object>> breakIt, String field) {
        Map<String, Object> product = hosting("Broken");
        breakIt.accept(product);
        int before = productsNamed("Broken");
        post("/api/v1/products", product).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("fields named for %s", product).contains(field));
        assertThat(productsNamed("Broken")).isEqualTo(before);
    }

    private int productsNamed(String name) {
        Map<?, ?> page = get("/api/v1/products?limit=200").expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        return (int) ((List<?>) page.get("items")).stream().filter(p -> name.equals(((Map<?, ?>) p).get("name"))).count();
    }

    private static Map<String, Object> hosting(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "hosting");
        body.put("name", name);
        body.put("whmPackage", "starter_5gb");
        body.put("serverGroup", "eu-shared");
        body.put("prices", List.of(priceBody("monthly", "EUR", "9.99", "5"), priceBody("annual", "EUR", "99", null),
                priceBody("monthly", "JPY", "1500", null), priceBody("annual", "JPY", "15000", null)));
        body.put("options", new ArrayList<>(List.of(Map.of("name", "Extra disk", "unit", "GB", "maxQuantity", 50,
                "prices", List.of(priceBody("monthly", "EUR", "0.5", "0"), priceBody("annual", "EUR", "5", "0"),
                        priceBody("monthly", "JPY", "80", "0"), priceBody("annual", "JPY", "800", "0"))))));
        return body;
    }

    private static Map<String, Object> addon(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "addon");
        body.put("name", name);
        body.put("prices", List.of(priceBody("monthly", "EUR", "2.00", null)));
        return body;
    }

    private static Map<String, Object> priceBody(String cycle, String currency, String amount, String setupFee) {
        Map<String, Object> price = new HashMap<>();
        price.put("cycle", cycle);
        price.put("currency", currency);
        price.put("amount", amount);
        if (setupFee != null) {
            price.put("setupFee", setupFee);
        }
        return price;
    }

    private static Map<String, Object> price(String cycle, String currency, String amount, String setupFee) {
        return Map.of("cycle", cycle, "currency", currency, "amount", amount, "setupFee", setupFee);
    }

    private String role(String name) {
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        return (String) roles.stream().map(Map.class::cast).filter(r -> name.equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
    }

    private long count(String sql, String id) {
        // The outbox is the event spine's, outside row-level security, so the test can count in it directly.
        return database.sql(sql).bind("id", UUID.fromString(id)).map(row -> row.get("n", Long.class)).one()
                .block(Duration.ofSeconds(10));
    }

    private static String id(WebTestClient.ResponseSpec response) {
        return (String) response.expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String uri, Object body) {
        return http.put().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).exchange();
    }
}
