package io.charter.orderer.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The orderer: the plain-Java ordering service ({@link io.charter.orderer.service.OrdererServer})
 * inside a Spring Boot shell that binds its configuration, serves the channel participation API over
 * HTTPS with client certificates, and exposes health and Prometheus metrics through Actuator.
 */
@SpringBootApplication(scanBasePackages = {"io.charter.orderer.app", "io.charter.orderer.participation"})
@ConfigurationPropertiesScan("io.charter.orderer.app")
public class OrdererApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdererApplication.class, args);
    }
}
