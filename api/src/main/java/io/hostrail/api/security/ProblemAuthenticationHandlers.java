package io.hostrail.api.security;

import io.hostrail.api.error.ProblemCatalog;
import io.hostrail.api.error.ProblemResponseWriter;
import io.hostrail.api.web.RequestIdFilter;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** 401 and 403 as problem+json, like every other error, never revealing why a token was refused in detail. */
final class ProblemAuthenticationHandlers {

    private ProblemAuthenticationHandlers() {
    }

    static ServerAuthenticationEntryPoint entryPoint(ProblemResponseWriter writer) {
        return (exchange, failure) -> {
            var headers = exchange.getRequest().getHeaders();
            exchange.getResponse().getHeaders().set("WWW-Authenticate", failure instanceof AuthenticationException
                    && (headers.containsHeader("Authorization") || headers.containsHeader(ApiKeyAuthentication.HEADER))
                    ? "Bearer error=\"invalid_token\"" : "Bearer");
            return writer.write(exchange.getResponse(), problem(exchange, HttpStatus.UNAUTHORIZED, "auth.unauthenticated",
                    "Not authenticated", "A valid access token is required."));
        };
    }

    static ServerAccessDeniedHandler accessDenied(ProblemResponseWriter writer) {
        return (exchange, denied) -> writer.write(exchange.getResponse(), problem(exchange, HttpStatus.FORBIDDEN,
                "auth.forbidden", "Forbidden", "You lack the permission this requires."));
    }

    private static ProblemDetail problem(ServerWebExchange exchange, HttpStatus status, String code, String title,
            String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ProblemCatalog.type(code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        String requestId = exchange.getAttribute(RequestIdFilter.REQUEST_ID_ATTRIBUTE);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        return problem;
    }
}
