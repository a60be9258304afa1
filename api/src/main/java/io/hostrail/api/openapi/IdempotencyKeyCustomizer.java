package io.hostrail.api.openapi;

import io.hostrail.api.idempotency.IdempotencyKeyFilter;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Documents {@code Idempotency-Key} on every POST the filter honours it on: authenticated POSTs under
 * {@code /api/v1}, which are all but sign-in and its siblings.
 */
@Component
public class IdempotencyKeyCustomizer implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getPaths().forEach((path, item) -> {
            Operation post = item.getPost();
            if (post == null || !path.startsWith("/api/v1/") || post.getSecurity() == null || post.getSecurity().isEmpty()) {
                return;
            }
            post.addParametersItem(new HeaderParameter().name(IdempotencyKeyFilter.HEADER).required(false)
                    .description("""
                            Makes a retry safe: the same request again under the same key gets the first successful \
                            answer again (with `Idempotent-Replayed: true`) and does nothing more. 1 to 255 visible \
                            ASCII characters; a UUID is ideal. Kept 24 hours per caller.""")
                    .schema(new StringSchema().maxLength(255).example("5f1c2c7e-8a0b-4f7e-9a53-0d1b2c3d4e5f")));
            if (post.getResponses() == null) {
                return;
            }
            post.getResponses().forEach((status, response) -> {
                if (status.startsWith("2")) {
                    response.addHeaderObject(IdempotencyKeyFilter.REPLAYED_HEADER, new Header()
                            .description("`true` when this answer is a replay of an earlier request with the same key")
                            .schema(new StringSchema()._enum(java.util.List.of("true"))));
                }
            });
        });
    }
}
