package io.hostrail.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    public OpenAPI hostrailOpenApi() {
        return new OpenAPI()
                .components(new io.swagger.v3.oas.models.Components().addSecuritySchemes("bearer",
                        new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("Access token from POST /api/v1/auth/login or /refresh (15 minutes)."))
                        .addSecuritySchemes("apiKey", new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.APIKEY)
                                .in(io.swagger.v3.oas.models.security.SecurityScheme.In.HEADER).name("X-API-Key")
                                .description("An API key (hrk_...) created under /api/v1/api-keys; acts within its scopes."))
                        .addSecuritySchemes("stripeSignature", new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.APIKEY)
                                .in(io.swagger.v3.oas.models.security.SecurityScheme.In.HEADER).name("Stripe-Signature")
                                .description("Stripe's signature of the raw body under the tenant's webhook secret."))
                        .addSecuritySchemes("paypalSignature", new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.APIKEY)
                                .in(io.swagger.v3.oas.models.security.SecurityScheme.In.HEADER)
                                .name("PAYPAL-TRANSMISSION-SIG")
                                .description("PayPal's signature of the delivery, with PAYPAL-TRANSMISSION-ID, "
                                        + "PAYPAL-TRANSMISSION-TIME, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO; verified by "
                                        + "PayPal's verify-webhook-signature API for the tenant's webhook id.")))
                .info(new Info()
                .title("Hostrail API")
                .version("v1")
                .description("""
                        Billing and provisioning for hosting providers. All endpoints live under `/api/v1`, \
                        speak JSON, and report every error as RFC 9457 `application/problem+json` whose `type` \
                        is stable per error code and whose `errors` list names each invalid field.""")
                .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")));
    }
}
