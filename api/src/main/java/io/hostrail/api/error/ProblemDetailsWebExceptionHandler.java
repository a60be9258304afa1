package io.hostrail.api.error;

import io.hostrail.api.web.RequestIdFilter;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Every error the application or the framework can produce leaves as RFC 9457
 * {@code application/problem+json}: a stable {@code type} per error code, field-level details for
 * validation, the request id for support, and never a stack trace or an internal message.
 * Ordered before Spring Boot's own error handler, so nothing reaches that one.
 */
@Component
@Order(-2)
public class ProblemDetailsWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsWebExceptionHandler.class);

    private final ProblemResponseWriter writer;

    public ProblemDetailsWebExceptionHandler(ProblemResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        ProblemDetail problem = error instanceof ServerWebInputException && !hasBody(exchange)
                ? problem(HttpStatus.BAD_REQUEST, "malformed_request", "Malformed request body", "A request body is required.")
                : toProblem(error);
        problem.setInstance(java.net.URI.create(exchange.getRequest().getPath().value()));
        String requestId = exchange.getAttribute(RequestIdFilter.REQUEST_ID_ATTRIBUTE);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        if (error instanceof io.hostrail.shared.error.ThrottledException throttled) {
            exchange.getResponse().getHeaders().set("Retry-After",
                    Long.toString(Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000)));
        }
        if (error instanceof MethodNotAllowedException notAllowed) {
            exchange.getResponse().getHeaders().setAllow(notAllowed.getSupportedMethods());
        }
        if (problem.getStatus() >= 500) {
            log.error("request {} {} failed with {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), problem.getStatus(), error);
        }
        return writer.write(exchange.getResponse(), problem);
    }

    private static boolean hasBody(ServerWebExchange exchange) {
        var headers = exchange.getRequest().getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader("Transfer-Encoding");
    }

    /** The status the error will be answered with. */
    public static int statusOf(Throwable error) {
        return toProblem(error).getStatus();
    }

    static ProblemDetail toProblem(Throwable error) {
        return switch (error) {
            case DomainException domain -> fromDomain(domain);
            case WebExchangeBindException bind -> validation("The request has invalid fields.", bind.getFieldErrors().stream()
                    .map(ProblemDetailsWebExceptionHandler::violation).toList(), bind.getGlobalErrors().stream()
                    .map(e -> Map.of("field", e.getObjectName(), "message", String.valueOf(e.getDefaultMessage()))).toList());
            case HandlerMethodValidationException methodValidation -> validation("The request has invalid parameters.",
                    methodValidation.getParameterValidationResults().stream()
                            .flatMap(result -> result.getResolvableErrors().stream().map(resolvable -> Map.of(
                                    "field", result.getMethodParameter().getParameterName() == null
                                            ? "parameter" : result.getMethodParameter().getParameterName(),
                                    "message", String.valueOf(resolvable.getDefaultMessage()))))
                            .toList(), List.of());
            case PayloadTooLargeException tooLarge -> tooLarge();
            case jakarta.validation.ConstraintViolationException violations -> validation("The request has invalid parameters.",
                    violations.getConstraintViolations().stream().map(violation -> Map.of(
                            "field", lastNode(violation.getPropertyPath().toString()),
                            "message", violation.getMessage())).toList(), List.of());
            case UnsupportedMediaTypeStatusException unsupported -> problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type", "Unsupported media type", "Content type '"
                            + (unsupported.getContentType() == null ? "none" : unsupported.getContentType())
                            + "' is not supported here; send " + unsupported.getSupportedMediaTypes().stream()
                                    .map(Object::toString).collect(Collectors.joining(", ")) + ".");
            case MethodNotAllowedException notAllowed -> problem(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "Method not allowed", "Method " + notAllowed.getHttpMethod() + " is not allowed here; allowed: "
                            + notAllowed.getSupportedMethods().stream().map(Object::toString).sorted()
                                    .collect(Collectors.joining(", ")) + ".");
            case NotAcceptableStatusException notAcceptable -> problem(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                    "Not acceptable", "None of the requested media types can be produced.");
            case NoResourceFoundException notFound -> notFound();
            case ServerWebInputException input -> fromInput(input);
            case ResponseStatusException status -> fromStatus(status.getStatusCode(), status.getReason());
            default -> hasCause(error, DataBufferLimitException.class)
                    ? tooLarge()
                    : problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal error",
                            "Something went wrong on our side. Quote the request id when contacting support.");
        };
    }

    private static ProblemDetail fromDomain(DomainException domain) {
        ErrorKind kind = domain.code().kind();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ProblemCatalog.status(kind), domain.getMessage());
        problem.setType(ProblemCatalog.type(domain.code().value()));
        problem.setTitle(ProblemCatalog.title(kind));
        problem.setProperty("code", domain.code().value());
        if (!domain.violations().isEmpty()) {
            problem.setProperty("errors", domain.violations().stream()
                    .map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        }
        return problem;
    }

    private static ProblemDetail fromInput(ServerWebInputException input) {
        if (hasCause(input, DataBufferLimitException.class)) {
            return tooLarge();
        }
        DatabindException databind = cause(input, DatabindException.class);
        if (databind != null && !databind.getPath().isEmpty()) {
            String field = jsonPath(databind);
            return validation("The request body has a field of the wrong type or form.",
                    List.of(Map.of("field", field, "message", "has the wrong type or format")), List.of());
        }
        if (hasCause(input, DecodingException.class) || hasCause(input, JacksonException.class)) {
            return problem(HttpStatus.BAD_REQUEST, "malformed_request", "Malformed request body",
                    "The request body is not valid JSON.");
        }
        return problem(HttpStatus.BAD_REQUEST, "invalid_request", "Invalid request",
                input.getReason() == null ? "The request is not valid." : input.getReason());
    }

    private static ProblemDetail fromStatus(HttpStatusCode status, String reason) {
        if (status.value() == 404) {
            return notFound();
        }
        if (status.value() == 413) {
            return tooLarge();
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = known == null ? "Error" : known.getReasonPhrase();
        String code = known == null ? "http_" + status.value() : known.name().toLowerCase(java.util.Locale.ROOT);
        return problem(status, code, title, status.is5xxServerError() || reason == null ? title + "." : reason);
    }

    private static ProblemDetail tooLarge() {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "request_too_large", "Request body too large",
                    "The request body exceeds the size this endpoint accepts.");
    }

    private static ProblemDetail notFound() {
        return problem(HttpStatus.NOT_FOUND, "not_found", "Not found", "No resource exists at this path.");
    }

    private static ProblemDetail validation(String detail, List<Map<String, String>> fieldErrors,
            List<Map<String, String>> globalErrors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request", detail);
        List<Map<String, String>> errors = new ArrayList<>(fieldErrors);
        errors.addAll(globalErrors);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** {@code list.limit} (method.parameter) becomes {@code limit}. */
    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }

    private static Map<String, String> violation(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static ProblemDetail problem(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ProblemCatalog.type(code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }

    /** {@code lines[2].quantity} from Jackson's reference path. */
    private static String jsonPath(DatabindException error) {
        StringBuilder path = new StringBuilder();
        for (var reference : error.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        return cause(error, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
