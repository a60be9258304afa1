package io.hostrail.api.idempotency;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.LargeResponses;
import io.hostrail.identity.service.TenantBootstrap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Idempotency-Key on creating POSTs: a retry gets the first answer and creates nothing more. */
@HostrailIntegrationTest
class IdempotencyKeyIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("the same request under the same key is answered again from the store, and creates once")
    void retryIsReplayed() {
        String key = UUID.randomUUID().toString();
        EntityExchangeResult<String> first = create(ownerToken, key, customer("Acme")).expectStatus().isCreated()
                .expectHeader().doesNotExist(IdempotencyKeyFilter.REPLAYED_HEADER)
                .expectBody(String.class).returnResult();
        EntityExchangeResult<String> retry = create(ownerToken, key, customer("Acme")).expectStatus().isCreated()
                .expectHeader().valueEquals(IdempotencyKeyFilter.REPLAYED_HEADER, "true")
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult();

        assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(retry.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(customerCount(ownerToken)).isEqualTo(1);
    }

    @Test
    @DisplayName("a key reused for a different request is refused with 422 and creates nothing")
    void reuseForAnotherRequestIsRefused() {
        String key = UUID.randomUUID().toString();
        create(ownerToken, key, customer("Acme")).expectStatus().isCreated();
        create(ownerToken, key, customer("Beta")).expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("idempotency.key_reused");
        http.post().uri("/api/v1/product-groups").headers(h -> {
                    h.setBearerAuth(ownerToken);
                    h.set(IdempotencyKeyFilter.HEADER, key);
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Acme"))
                .exchange().expectStatus().isEqualTo(422);
        assertThat(customerCount(ownerToken)).isEqualTo(1);
    }

    @Test
    @DisplayName("a failed request gives its key up, so the corrected request may use it")
    void failureReleasesTheKey() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> bad = Map.of("name", "Acme", "email", "a@acme.example", "currency", "XYZ");
        create(ownerToken, key, bad).expectStatus().isBadRequest();
        create(ownerToken, key, bad).expectStatus().isBadRequest()
                .expectHeader().doesNotExist(IdempotencyKeyFilter.REPLAYED_HEADER);
        assertThat(customerCount(ownerToken)).isZero();
        create(ownerToken, key, customer("Acme")).expectStatus().isCreated();
        assertThat(customerCount(ownerToken)).isEqualTo(1);
    }

    @Test
    @DisplayName("a malformed key is refused with problem+json before anything runs")
    void malformedKeyIsRefused() {
        for (String key : List.of("x".repeat(256), "spaces are not allowed")) {
            create(ownerToken, key, customer("Acme")).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("idempotency.key_invalid");
        }
        assertThat(customerCount(ownerToken)).isZero();
    }

    @Test
    @DisplayName("keys belong to one caller in one tenant: the same key elsewhere is a different request")
    void keysArePerCallerAndTenant() {
        String key = UUID.randomUUID().toString();
        create(ownerToken, key, customer("Acme")).expectStatus().isCreated();
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        create(otherToken, key, customer("Acme")).expectStatus().isCreated()
                .expectHeader().doesNotExist(IdempotencyKeyFilter.REPLAYED_HEADER);
        assertThat(customerCount(otherToken)).isEqualTo(1);
        assertThat(customerCount(ownerToken)).isEqualTo(1);
    }

    @Test
    @DisplayName("two identical requests racing under one key create one customer; the loser is replayed or told to wait")
    void racingRetriesCreateOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = UUID.randomUUID().toString();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> racers = List.of(race(start, key), race(start, key), race(start, key));
            start.countDown();
            List<Integer> statuses = racers.stream().map(CompletableFuture::join).toList();
            assertThat(statuses).as("round %d", round).contains(201).allMatch(status -> status == 201 || status == 409);
        }
        assertThat(customerCount(ownerToken)).isEqualTo(5);
    }

    @Test
    @DisplayName("an answer holding a secret shown once is not kept: the retry is told it succeeded, and nothing is created")
    void secretsAreNotReplayed() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("name", "ci", "scopes", List.of("invoice:read"));
        keyed(key).post().uri("/api/v1/api-keys").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated().expectHeader().cacheControl(org.springframework.http.CacheControl.noStore());
        keyed(key).post().uri("/api/v1/api-keys").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("idempotency.answer_withheld")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("/api/v1/api-keys/"));
        http.get().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    @DisplayName("a refusal by permission gives the key up too")
    void forbiddenReleasesTheKey() {
        String key = UUID.randomUUID().toString();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "viewer@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(role("readonly"))))
                .exchange().expectStatus().isCreated();
        String viewer = accessToken(http, tenant, "viewer@" + tenant + ".test", PASSWORD);
        create(viewer, key, customer("Acme")).expectStatus().isForbidden();
        create(viewer, key, customer("Acme")).expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").value(code -> assertThat(code).isNotEqualTo("idempotency.in_progress"));
        assertThat(customerCount(ownerToken)).isZero();
    }

    @Test
    @DisplayName("without a key nothing is deduplicated")
    void noKeyNoDeduplication() {
        http.post().uri("/api/v1/customers").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(customer("Acme")).exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/customers").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(customer("Acme")).exchange().expectStatus().isCreated();
        assertThat(customerCount(ownerToken)).isEqualTo(2);
    }

    @Test
    @DisplayName("the OpenAPI document offers the header on authenticated POSTs, not on sign-in")
    void documented() {
        LargeResponses.client(http).get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/customers'].post.parameters[?(@.name == 'Idempotency-Key')].in")
                .isEqualTo("header")
                .jsonPath("$.paths['/api/v1/products'].post.responses['201'].headers['Idempotent-Replayed']").exists()
                .jsonPath("$.paths['/api/v1/auth/login'].post.parameters[?(@.name == 'Idempotency-Key')]").doesNotExist();
    }

    private CompletableFuture<Integer> race(CountDownLatch start, String key) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return create(ownerToken, key, customer("Racer")).returnResult(String.class).getStatus().value();
        });
    }

    private WebTestClient keyed(String key) {
        return http.mutate().defaultHeaders(h -> {
            h.setBearerAuth(ownerToken);
            h.set(IdempotencyKeyFilter.HEADER, key);
        }).build();
    }

    private String role(String name) {
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        return (String) roles.stream().map(Map.class::cast).filter(r -> name.equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
    }

    private static Map<String, Object> customer(String name) {
        return Map.of("name", name, "email", "accounts@" + name.toLowerCase() + ".example", "currency", "EUR");
    }

    private WebTestClient.ResponseSpec create(String token, String key, Map<String, Object> body) {
        return http.post().uri("/api/v1/customers").headers(h -> {
                    h.setBearerAuth(token);
                    h.set(IdempotencyKeyFilter.HEADER, key);
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private int customerCount(String token) {
        Map<?, ?> page = http.get().uri("/api/v1/customers?limit=200").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) page.get("items")).size();
    }
}
