package io.hostrail.webclient.support;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** Reading providers' JSON leniently: a field that is absent or null is null, and a body that is not JSON is empty. */
public final class JsonFields {

    private JsonFields() {
    }

    /** The body as a tree; a missing node when it is empty or not JSON (a proxy's error page). */
    public static JsonNode tree(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JsonMapper.shared().readTree(body);
        } catch (JacksonException notJson) {
            return MissingNode.getInstance();
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    }
}
