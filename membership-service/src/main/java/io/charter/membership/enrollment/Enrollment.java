package io.charter.membership.enrollment;

import io.charter.common.pki.CertificatePurpose;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An issued certificate.
 *
 * @param chain the issuing CA certificate first, the root last (not including {@code certificate})
 */
public record Enrollment(X509Certificate certificate, List<X509Certificate> chain, CertificatePurpose profile) {

    public Enrollment {
        chain = List.copyOf(chain);
    }

    /** The certificate followed by its chain, leaf first, root last. */
    public List<X509Certificate> fullChain() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(certificate), chain.stream()).toList();
    }
}
