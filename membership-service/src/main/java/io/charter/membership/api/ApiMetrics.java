package io.charter.membership.api;

import io.charter.common.pki.CertificatePurpose;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Business counters: {@code charter.enrollments} (kind enroll/reenroll, profile, outcome = success or
 * the error code) and {@code charter.revocations} (kind identity/certificate, outcome) with
 * {@code charter.revoked.certificates}. Request latencies are Boot's {@code http.server.requests}.
 */
@Component
public class ApiMetrics {

    private final MeterRegistry registry;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void enrollment(String kind, CertificatePurpose profile, String outcome) {
        Counter.builder("charter.enrollments")
                .description("Enrollments and re-enrollments by profile and outcome")
                .tag("kind", kind)
                .tag("profile", profile == null ? "unknown" : profile.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    void revocation(String kind, String outcome, int certificates) {
        Counter.builder("charter.revocations")
                .description("Revocation requests by kind and outcome")
                .tag("kind", kind)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        if (certificates > 0) {
            Counter.builder("charter.revoked.certificates")
                    .description("Certificates revoked")
                    .register(registry)
                    .increment(certificates);
        }
    }
}
