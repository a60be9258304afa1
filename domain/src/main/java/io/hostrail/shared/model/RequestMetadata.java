package io.hostrail.shared.model;

import java.util.Optional;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/** Where a request came from, carried in the Reactor context for the audit trail. */
public record RequestMetadata(String ip, String requestId) {

    private static final Class<RequestMetadata> KEY = RequestMetadata.class;

    public static Optional<RequestMetadata> find(ContextView context) {
        return context.getOrEmpty(KEY);
    }

    public static Context put(Context context, RequestMetadata metadata) {
        return context.put(KEY, metadata);
    }
}
