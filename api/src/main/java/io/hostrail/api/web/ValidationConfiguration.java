package io.hostrail.api.web;

import java.util.Locale;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ResourceBundleMessageInterpolator;
import org.springframework.boot.validation.autoconfigure.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Validation messages are loaded once at startup, in English. Left lazy, Hibernate Validator reads its
 * message bundles from a jar on the first violation of each request locale, on a Netty event loop.
 * Error messages are English whatever the Accept-Language; clients localise by the stable field and type.
 */
@Configuration(proxyBeanMethods = false)
public class ValidationConfiguration {

    static final Locale MESSAGE_LOCALE = Locale.ENGLISH;

    @Bean
    public ValidationConfigurationCustomizer preloadedEnglishValidationMessages() {
        return configuration -> configuration.messageInterpolator(new ResourceBundleMessageInterpolator(
                Set.of(MESSAGE_LOCALE), MESSAGE_LOCALE, context -> MESSAGE_LOCALE, true));
    }
}
