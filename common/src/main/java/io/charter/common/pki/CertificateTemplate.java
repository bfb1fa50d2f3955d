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
 */
public record CertificateTemplate(
        SubjectName subject,
        PublicKey publicKey,
        CertificatePurpose purpose,
        Validity validity,
        List<String> subjectAlternativeNames,
        Map<String, String> attributes) {

    public CertificateTemplate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(validity, "validity");
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
        attributes = Map.copyOf(attributes);
    }

    public static CertificateTemplate signing(SubjectName subject, PublicKey key, Validity validity) {
        return new CertificateTemplate(subject, key, CertificatePurpose.SIGNING, validity, List.of(), Map.of());
    }

    public static CertificateTemplate tls(SubjectName subject, PublicKey key, Validity validity, List<String> hosts) {
        return new CertificateTemplate(subject, key, CertificatePurpose.TLS, validity, hosts, Map.of());
    }

    public CertificateTemplate withAttributes(Map<String, String> newAttributes) {
        return new CertificateTemplate(subject, publicKey, purpose, validity, subjectAlternativeNames, newAttributes);
    }
}
