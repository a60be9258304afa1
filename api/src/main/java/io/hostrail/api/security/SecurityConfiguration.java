package io.hostrail.api.security;

import io.hostrail.adapters.security.JwtAccessTokens;
import io.hostrail.adapters.security.SigningKeys;
import io.hostrail.api.config.HostrailProperties;
import io.hostrail.api.error.ProblemResponseWriter;
import io.hostrail.api.idempotency.IdempotencyKeyFilter;
import io.hostrail.shared.idempotency.IdempotentRequests;
import io.hostrail.identity.service.ApiKeyService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Flux;

/**
 * Who may call what. Every route needs a valid access token unless listed as public; permissions are
 * checked per route (and again in the services, which scope every query to the token's tenant). The
 * API is stateless: no sessions, no CSRF tokens (nothing authenticates by cookie).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
public class SecurityConfiguration {

    private static final String[] ALWAYS_PUBLIC = {
        "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/auth/password-reset",
        "/.well-known/jwks.json",
        // Providers sign their deliveries; the signature is checked before anything in the body is read.
        "/api/v1/webhooks/**",
        "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus",
        "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**"
    };

    @Bean
    public SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, SecurityProperties properties,
            ReactiveJwtDecoder jwtDecoder, ProblemResponseWriter problems, ApiKeyService apiKeys,
            IdempotentRequests idempotentRequests, HostrailProperties hostrail) {
        List<String> publicPaths = new ArrayList<>(List.of(ALWAYS_PUBLIC));
        publicPaths.addAll(properties.publicPaths());
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // Stateless: every request carries its token; no web session is ever created or read.
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(cors -> cors.configurationSource(cors(properties)))
                .headers(headers -> headers
                        .frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .contentTypeOptions(contentType -> { })
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER))
                        .hsts(hsts -> {
                            if (properties.hsts()) {
                                hsts.maxAge(Duration.ofDays(365)).includeSubdomains(true);
                            } else {
                                hsts.disable();
                            }
                        })
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                        + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers(publicPaths.toArray(String[]::new)).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(new AccessTokenAuthenticationConverter()))
                        .authenticationEntryPoint(ProblemAuthenticationHandlers.entryPoint(problems))
                        .accessDeniedHandler(ProblemAuthenticationHandlers.accessDenied(problems)))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(ProblemAuthenticationHandlers.entryPoint(problems))
                        .accessDeniedHandler(ProblemAuthenticationHandlers.accessDenied(problems)))
                .addFilterAt(ApiKeyAuthentication.filter(apiKeys, ProblemAuthenticationHandlers.entryPoint(problems)),
                        SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAfter(new TenantContextFilter(), SecurityWebFiltersOrder.AUTHORIZATION)
                // Behind authorization, so a refused request never claims a key.
                .addFilterAfter(new IdempotencyKeyFilter(idempotentRequests,
                        Math.toIntExact(hostrail.maxRequestBody().toBytes())), SecurityWebFiltersOrder.AUTHORIZATION)
                .build();
    }

    /**
     * Verifies ES256 signatures against the published signing keys (cached; no database read per
     * request), the issuer, the token type and the time window against the injected clock. Tokens
     * signed with another algorithm, or with none, never verify.
     */
    @Bean
    public ReactiveJwtDecoder accessTokenDecoder(SigningKeys signingKeys, SecurityProperties properties, Clock clock) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withJwkSource(jwt -> signingKeys.keysKnowing(jwt.getHeader().getKeyID(), Duration.ofSeconds(10))
                        .flatMapMany(keys -> Flux.fromIterable(keys.published())))
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(30));
        timestamps.setClock(clock);
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                timestamps, new JwtIssuerValidator(properties.issuer()),
                new JwtTypeValidator(List.of(JwtAccessTokens.ACCESS_TOKEN_TYPE.getType())));
        decoder.setJwtValidator(validator);
        return decoder;
    }

    private static UrlBasedCorsConfigurationSource cors(SecurityProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.corsAllowedOrigins().isEmpty()) {
            CorsConfiguration configuration = new CorsConfiguration();
            configuration.setAllowedOrigins(properties.corsAllowedOrigins());
            configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            configuration.setAllowedHeaders(List.of("Authorization", "X-API-Key", "Content-Type", "Idempotency-Key", "X-Request-Id",
                    "Last-Event-ID"));
            configuration.setExposedHeaders(List.of("X-Request-Id", "Retry-After", "RateLimit-Limit",
                    "RateLimit-Remaining", "RateLimit-Reset", "Location"));
            configuration.setMaxAge(Duration.ofHours(1));
            source.registerCorsConfiguration("/api/**", configuration);
        }
        return source;
    }
}
