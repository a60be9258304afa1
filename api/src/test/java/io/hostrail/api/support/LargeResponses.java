package io.hostrail.api.support;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The test profile caps codecs at 64 KB, which the 413 tests rely on; documents such as the OpenAPI
 * description and the metrics page are larger, and are read through this client instead.
 */
public final class LargeResponses {

    private LargeResponses() {
    }

    public static WebTestClient client(WebTestClient http) {
        return http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build();
    }
}
