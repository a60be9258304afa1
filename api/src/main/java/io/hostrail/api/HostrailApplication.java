package io.hostrail.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Hostrail's composition root: wires the adapters and web clients to the core's ports. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HostrailApplication {

    public static void main(String[] args) {
        SpringApplication.run(HostrailApplication.class, args);
    }
}
