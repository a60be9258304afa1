package io.hostrail.api.support;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;

import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A fresh tenant and its owner, signed in, for a billing test: requests as the owner (or another token), the
 * customers and products most tests start from, and SQL run as the tenant (row-level security applies to the tests'
 * database role too).
 */
public final class TenantSession {

    public static final String PASSWORD = "a long and unguessable passphrase";

    private final WebTestClient http;
    private final DatabaseClient database;
    private final String tenant;
    private final String ownerToken;
    private final String tenantId;

    private TenantSession(WebTestClient http, DatabaseClient database, String tenant, String ownerToken) {
        this.http = http;
        this.database = database;
        this.tenant = tenant;
        this.ownerToken = ownerToken;
        this.tenantId = (String) get("/api/v1/auth/me").expectBody(Map.class).returnResult().getResponseBody()
                .get("tenantId");
    }

    public static TenantSession fresh(WebTestClient http, TenantBootstrap bootstrap, DatabaseClient database) {
        String tenant = newTenant(bootstrap, PASSWORD);
        return new TenantSession(http, database, tenant, accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD));
    }

    /** The tenant's slug, to sign in with. */
    public String tenant() {
        return tenant;
    }

    public String tenantId() {
        return tenantId;
    }

    public String ownerToken() {
        return ownerToken;
    }

    public WebTestClient.ResponseSpec post(String uri, Object body) {
        return post(http, uri, body, ownerToken);
    }

    public WebTestClient.ResponseSpec post(WebTestClient client, String uri, Object body, String token) {
        var request = client.post().uri(uri).headers(h -> h.setBearerAuth(token));
        return (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)).exchange();
    }

    public WebTestClient.ResponseSpec put(String uri, Object body) {
        return http.put().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    public WebTestClient.ResponseSpec get(String uri) {
        return get(uri, ownerToken);
    }

    public WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange();
    }

    /** The created item's body; fails unless the answer is 201. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> created(String uri, Object body) {
        return post(uri, body).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> read(String uri) {
        return get(uri).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** A customer billed in {@code currency}, with a billing address in {@code country} when one is given. */
    public String customer(String currency, String country) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Customer " + UUID.randomUUID());
        body.put("email", "accounts@" + UUID.randomUUID() + ".example");
        body.put("currency", currency);
        if (country != null) {
            body.put("billingAddress", Map.of("line1", "Street 1", "city", "City", "postalCode", "12345", "country", country));
        }
        return (String) created("/api/v1/customers", body).get("id");
    }

    public void grantCredit(String customer, String amount) {
        post("/api/v1/customers/" + customer + "/credits", Map.of("amount", amount, "reason", "Prepaid"))
                .expectStatus().isCreated();
    }

    /** A service product with one monthly EUR price. */
    public String monthlyProduct(String name, String amount) {
        return (String) created("/api/v1/products", Map.of("kind", "service", "name", name,
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", amount)))).get("id");
    }

    /** Statements run as the tenant, in one transaction (one simple query). */
    public void sql(String statements) {
        database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + statements).then()
                .block(Duration.ofSeconds(10));
    }

    /** A count ({@code ... AS n}) as the tenant sees it. */
    /** The first column of the one row the query gives, as text. */
    public String text(String query) {
        return database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + query)
                .map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
    }

    public long count(String query) {
        return database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + query)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }

    /** The types of the events recorded for an aggregate, oldest first. */
    public List<String> events(String aggregate) {
        return database.sql("SELECT event_type FROM outbox WHERE aggregate_id = :id ORDER BY id")
                .bind("id", UUID.fromString(aggregate)).map(row -> row.get("event_type", String.class)).all()
                .collectList().block(Duration.ofSeconds(10));
    }
}
