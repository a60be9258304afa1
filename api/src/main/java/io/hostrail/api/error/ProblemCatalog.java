package io.hostrail.api.error;

import io.hostrail.shared.error.ErrorKind;
import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * The one mapping from the core's error kinds and codes to HTTP: status, problem {@code type} URI and
 * title. A problem type is stable per error code, so clients can branch on it.
 */
public final class ProblemCatalog {

    public static final String TYPE_BASE = "https://hostrail.io/problems/";

    private ProblemCatalog() {
    }

    public static HttpStatus status(ErrorKind kind) {
        return switch (kind) {
            case VALIDATION -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case REJECTED -> HttpStatus.UNPROCESSABLE_CONTENT;
            case THROTTLED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
        };
    }

    public static String title(ErrorKind kind) {
        return switch (kind) {
            case VALIDATION -> "Invalid request";
            case UNAUTHENTICATED -> "Not authenticated";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case REJECTED -> "Request rejected";
            case THROTTLED -> "Too many requests";
            case UNAVAILABLE -> "Service unavailable";
            case TIMEOUT -> "Upstream timeout";
        };
    }

    public static URI type(String code) {
        return URI.create(TYPE_BASE + code);
    }
}
