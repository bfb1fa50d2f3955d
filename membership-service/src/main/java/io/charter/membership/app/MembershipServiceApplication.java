package io.charter.membership.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The membership service: the consortium's certificate authority and index server, a Spring Boot shell
 * (REST over HTTPS, authentication, actuator) around the plain-Java {@link io.charter.membership.MembershipCore}.
 */
@SpringBootApplication(scanBasePackages = {
        "io.charter.membership.app", "io.charter.membership.api", "io.charter.membership.security"})
@ConfigurationPropertiesScan("io.charter.membership.app")
public class MembershipServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MembershipServiceApplication.class, args);
    }
}
