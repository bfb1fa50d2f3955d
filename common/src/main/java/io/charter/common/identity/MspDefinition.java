package io.charter.common.identity;

import io.charter.common.pki.CertificatePurpose;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a channel (or a node) knows of one organization, like Fabric's MSP configuration: the CAs
 * whose certificates make someone a member, and the organization's current CRLs.
 *
 * <p>Charter's consortium shares ONE root, under which every organization has its own issuing CA
 * (an intermediate). So a certificate belongs to this organization only when its chain goes through one
 * of {@link #intermediateCertificates()} (when the organization lists any) or straight to one of
 * {@link #rootCertificates()} (an organization that brings its own PKI and lists only roots), and its
 * subject's {@code O} is {@link #mspId()}. TLS certificates come from separate CAs, listed apart.
 *
 * @param crls CRLs from any of this organization's CAs (including the shared root, which revokes
 *     intermediates); each must verify with the CA that issued it, or the definition is refused
 */
public record MspDefinition(
        String mspId,
        List<X509Certificate> rootCertificates,
        List<X509Certificate> intermediateCertificates,
        List<X509CRL> crls,
        List<X509Certificate> tlsRootCertificates,
        List<X509Certificate> tlsIntermediateCertificates) {

    /**
     * @throws IllegalArgumentException when the id is blank, there is no root, or a CRL is not signed by
     *     one of this organization's CAs
     */
    public MspDefinition {
        if (mspId == null || mspId.isBlank()) {
            throw new IllegalArgumentException("an MSP id must not be blank");
        }
        rootCertificates = List.copyOf(rootCertificates);
        intermediateCertificates = List.copyOf(intermediateCertificates);
        crls = List.copyOf(crls);
        tlsRootCertificates = List.copyOf(tlsRootCertificates);
        tlsIntermediateCertificates = List.copyOf(tlsIntermediateCertificates);
        if (rootCertificates.isEmpty()) {
            throw new IllegalArgumentException(mspId + ": an organization needs at least one root certificate");
        }
        List<X509Certificate> authorities = new ArrayList<>();
        authorities.addAll(rootCertificates);
        authorities.addAll(intermediateCertificates);
        authorities.addAll(tlsRootCertificates);
        authorities.addAll(tlsIntermediateCertificates);
        for (X509CRL crl : crls) {
            requireSignedByOneOf(mspId, crl, authorities);
        }
    }

    /** An organization with signing CAs only (no TLS CAs, no CRLs yet). */
    public static MspDefinition of(String mspId, List<X509Certificate> roots, List<X509Certificate> intermediates) {
        return new MspDefinition(mspId, roots, intermediates, List.of(), List.of(), List.of());
    }

    public MspDefinition withCrls(List<X509CRL> newCrls) {
        return new MspDefinition(mspId, rootCertificates, intermediateCertificates, newCrls,
                tlsRootCertificates, tlsIntermediateCertificates);
    }

    public MspDefinition withTls(List<X509Certificate> tlsRoots, List<X509Certificate> tlsIntermediates) {
        return new MspDefinition(mspId, rootCertificates, intermediateCertificates, crls, tlsRoots, tlsIntermediates);
    }

    /** The roots that anchor certificates of {@code purpose}. */
    public List<X509Certificate> roots(CertificatePurpose purpose) {
        return purpose == CertificatePurpose.TLS ? tlsRootCertificates : rootCertificates;
    }

    /** The issuing CAs that certificates of {@code purpose} must chain through (none: straight to a root). */
    public List<X509Certificate> intermediates(CertificatePurpose purpose) {
        return purpose == CertificatePurpose.TLS ? tlsIntermediateCertificates : intermediateCertificates;
    }

    private static void requireSignedByOneOf(String mspId, X509CRL crl, List<X509Certificate> authorities) {
        Objects.requireNonNull(crl, "crl");
        for (X509Certificate authority : authorities) {
            if (authority.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(authority.getPublicKey());
                    return;
                } catch (Exception e) {
                    // another CA of the same name may have signed it; keep looking
                }
            }
        }
        throw new IllegalArgumentException(mspId + ": the CRL issued by " + crl.getIssuerX500Principal()
                + " is not signed by any CA of the organization; it cannot be trusted");
    }
}
