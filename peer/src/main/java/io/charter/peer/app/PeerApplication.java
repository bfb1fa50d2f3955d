package io.charter.peer.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The peer: the plain-Java peer ({@link io.charter.peer.node.PeerNode}) inside a Spring Boot shell that
 * binds its configuration, serves the admin API over HTTPS with client certificates, and exposes
 * health and Prometheus metrics through Actuator.
 */
@SpringBootApplication(scanBasePackages = {"io.charter.peer.app", "io.charter.peer.admin"})
@ConfigurationPropertiesScan("io.charter.peer.app")
public class PeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }
}
