package io.charter.common.pki;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an end-entity certificate should say; a CA turns it into a signed certificate.
 *
 * @param subjectAlternativeNames DNS names or IP literals, for TLS certificates
 * @param attributes identity attributes, carried in the {@link CertificateAttributes} extension
 * @param tlsServer for a TLS certificate, whether it may authenticate a server (extended key usage
 *     serverAuth besides clientAuth); a TLS certificate that is not for a server names no host
 */
public record CertificateTemplate(
        SubjectName subject,
        PublicKey publicKey,
        CertificatePurpose purpose,
        Validity validity,
        List<String> subjectAlternativeNames,
        Map<String, String> attributes,
        boolean tlsServer) {

    public CertificateTemplate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(validity, "validity");
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
        attributes = Map.copyOf(attributes);
        if (purpose == CertificatePurpose.TLS && !tlsServer && !subjectAlternativeNames.isEmpty()) {
            throw new IllegalArgumentException("a client-only TLS certificate names no host");
        }
    }

    /** A template as before client-only TLS certificates existed: a TLS template is for a server and a client. */
    public CertificateTemplate(SubjectName subject, PublicKey publicKey, CertificatePurpose purpose, Validity validity,
                               List<String> subjectAlternativeNames, Map<String, String> attributes) {
        this(subject, publicKey, purpose, validity, subjectAlternativeNames, attributes, purpose == CertificatePurpose.TLS);
    }

    public static CertificateTemplate signing(SubjectName subject, PublicKey key, Validity validity) {
        return new CertificateTemplate(subject, key, CertificatePurpose.SIGNING, validity, List.of(), Map.of());
    }

    /** A TLS certificate for a server (and a client): serverAuth and clientAuth, with the hosts it serves. */
    public static CertificateTemplate tls(SubjectName subject, PublicKey key, Validity validity, List<String> hosts) {
        return new CertificateTemplate(subject, key, CertificatePurpose.TLS, validity, hosts, Map.of(), true);
    }

    /**
     * A TLS certificate for a client only: clientAuth and no host, so that it cannot pass for a server in
     * any TLS client's check (clients and admins connect to nodes; they serve nothing).
     */
    public static CertificateTemplate tlsClient(SubjectName subject, PublicKey key, Validity validity) {
        return new CertificateTemplate(subject, key, CertificatePurpose.TLS, validity, List.of(), Map.of(), false);
    }

    public CertificateTemplate withAttributes(Map<String, String> newAttributes) {
        return new CertificateTemplate(subject, publicKey, purpose, validity, subjectAlternativeNames, newAttributes,
                tlsServer);
    }
}
