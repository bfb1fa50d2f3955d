package io.charter.membership.enrollment;

import io.charter.common.pki.CertificatePurpose;
import java.util.List;
import java.util.Objects;

/**
 * A request for a certificate.
 *
 * @param csr a PKCS#10 certification request, PEM ({@code CERTIFICATE REQUEST}) or DER; its key must be
 *     EC P-256, its subject CN must be the enrollment id, and O and OU, if present, the organization and role
 * @param profile SIGNING or TLS (TLS certificates get serverAuth and clientAuth)
 * @param hosts DNS names or IP literals for the TLS certificate's subject alternative names
 *     (must be empty for SIGNING)
 */
public record EnrollmentRequest(byte[] csr, CertificatePurpose profile, List<String> hosts) {

    public EnrollmentRequest {
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(profile, "profile");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    public static EnrollmentRequest signing(byte[] csr) {
        return new EnrollmentRequest(csr, CertificatePurpose.SIGNING, List.of());
    }

    public static EnrollmentRequest tls(byte[] csr, List<String> hosts) {
        return new EnrollmentRequest(csr, CertificatePurpose.TLS, hosts);
    }
}
