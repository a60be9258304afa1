package io.hostrail.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Documents the errors every API operation can answer with, as RFC 9457 problem+json: the same shape
 * everywhere, produced by one handler, so it is described in one place rather than on each method.
 */
@Component
public class ProblemResponsesCustomizer implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            item.readOperationsMap().forEach((method, operation) -> addProblems(path, method, operation));
        });
    }

    private static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        Map<String, String> problems = new LinkedHashMap<>();
        if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH) {
            problems.put("400", "Malformed body or invalid fields (`errors` lists each field)");
            problems.put("413", "Body larger than accepted");
            problems.put("415", "Body not sent as application/json");
        } else {
            problems.put("400", "Invalid parameters");
        }
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        problems.put("401", secured ? "Missing, expired or invalid token or API key" : "Credentials refused");
        if (secured) {
            problems.put("403", "The caller lacks the permission");
        }
        if (path.contains("{")) {
            problems.put("404", "No such resource in your organisation");
        }
        if (method != PathItem.HttpMethod.GET) {
            problems.put("409", "Conflicts with the current state (stale version, duplicate)");
            problems.put("422", "Refused by a business rule");
        }
        problems.put("429", "Too many requests; see Retry-After");
        problems.put("500", "Unexpected error; quote the requestId");
        problems.forEach((status, description) -> {
            if (!responses.containsKey(status)) {
                responses.addApiResponse(status, new ApiResponse().description(description)
                        .content(new Content().addMediaType(PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
            }
        });
        operation.setResponses(responses);
    }

    private static Schema<?> problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema().example("lines[0].quantity"));
        fieldError.addProperty("message", new StringSchema().example("must be greater than or equal to 1"));
        ObjectSchema problem = new ObjectSchema();
        problem.description("RFC 9457 problem details. `type` is stable per error code; branch on it or on `code`.");
        problem.addProperty("type", new StringSchema().format("uri").example("https://hostrail.io/problems/validation"));
        problem.addProperty("title", new StringSchema().example("Invalid request"));
        problem.addProperty("status", new IntegerSchema().example(400));
        problem.addProperty("detail", new StringSchema().example("The request has invalid fields."));
        problem.addProperty("instance", new StringSchema().format("uri-reference").example("/api/v1/users"));
        problem.addProperty("code", new StringSchema().example("validation"));
        problem.addProperty("requestId", new StringSchema().example("01a2f0c4-6a1b-7000-8c2d-3b4a5c6d7e8f"));
        problem.addProperty("errors", new ArraySchema().items(fieldError));
        return problem;
    }
}
