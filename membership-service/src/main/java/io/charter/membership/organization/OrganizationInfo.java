package io.charter.membership.organization;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * An organization as the membership service knows it: what a channel configuration needs of its MSP.
 *
 * @param consortium whether this is the consortium's own organization (its admins are consortium admins)
 * @param rootCertificates the trust anchors of the MSP (the consortium root)
 * @param signingCa the issuing CA certificate for signing certificates
 * @param tlsCa the issuing CA certificate for TLS certificates
 * @param admins enrollment ids of the organization's identities of type admin that are not revoked
 */
public record OrganizationInfo(
        String mspId,
        boolean consortium,
        List<X509Certificate> rootCertificates,
        X509Certificate signingCa,
        X509Certificate tlsCa,
        List<String> admins,
        Instant createdAt,
        String createdBy) {

    public OrganizationInfo {
        rootCertificates = List.copyOf(rootCertificates);
        admins = List.copyOf(admins);
    }

    /** The organization as common's identity validation knows it (no CRLs: add them with {@code withCrls}). */
    public io.charter.common.identity.MspDefinition toMspDefinition() {
        return io.charter.common.identity.MspDefinition.of(mspId, rootCertificates, List.of(signingCa))
                .withTls(rootCertificates, List.of(tlsCa));
    }
}
