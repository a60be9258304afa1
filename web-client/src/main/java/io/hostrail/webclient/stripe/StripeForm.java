package io.hostrail.webclient.stripe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request body as Stripe takes it: {@code application/x-www-form-urlencoded}, with nested keys written
 * {@code metadata[invoice_id]} and list entries {@code payment_method_types[]}. Keys keep their brackets unescaped, as
 * Stripe's own libraries send them; everything else is percent-encoded as UTF-8. Entries keep the order they were added.
 */
final class StripeForm {

    private final List<String> pairs = new ArrayList<>();

    StripeForm add(String key, Object value) {
        if (value != null) {
            pairs.add(encode(key) + "=" + encode(value.toString()));
        }
        return this;
    }

    /** {@code name[key]=value} for each entry, in key order so the same map always makes the same body. */
    StripeForm addMap(String name, Map<String, String> entries) {
        new TreeMap<>(entries).forEach((key, value) -> add(name + "[" + key + "]", value));
        return this;
    }

    StripeForm addList(String name, List<String> values) {
        values.forEach(value -> add(name + "[]", value));
        return this;
    }

    String encoded() {
        return String.join("&", pairs);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
    }
}
