package io.hostrail.api.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** One line, once everything is up, that tells a person where to go. */
@Component
public class ReadyLine {

    private static final Logger log = LoggerFactory.getLogger(ReadyLine.class);

    @EventListener(ApplicationReadyEvent.class)
    public void announce(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String base = "http://localhost:" + port;
        log.info("Hostrail ready: API {}/api/v1 | Swagger UI {}/swagger-ui.html | Health {}/actuator/health", base, base, base);
    }
}
