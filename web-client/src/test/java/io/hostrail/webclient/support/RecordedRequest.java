package io.hostrail.webclient.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;

/** What a fake provider received: method, path, raw query, headers (names in lower case), and the body as sent. */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {

    public static RecordedRequest of(HttpServerRequest request, String body) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        Map<String, String> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
        return new RecordedRequest(request.method().name(), question < 0 ? uri : uri.substring(0, question),
                question < 0 ? "" : uri.substring(question + 1), headers, body);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase());
    }

    /** The body read as a form, keys and values decoded; a repeated key keeps its values joined with commas. */
    public Map<String, String> form() {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.merge(key, value, (first, second) -> first + "," + second);
        }
        return form;
    }

    /** A query parameter's decoded value, or null. */
    public String queryParam(String name) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
