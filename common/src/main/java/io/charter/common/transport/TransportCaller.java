package io.charter.common.transport;

import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who is on the other end of a connection, as its verified TLS chain says: the organization, the
 * enrollment id and the role of its leaf certificate.
 *
 * <p>The organization counts only when the CA that issued the leaf belongs to the same organization
 * (its subject's O is the same MSP id): every organization's issuing CA chains to the consortium
 * root, so without this check a certificate that one organization's CA issued could claim another
 * organization in its subject.
 *
 * @param organization the MSP id
 * @param enrollmentId the leaf's common name (a node's id for node certificates)
 * @param role the leaf's role (its OU)
 */
public record TransportCaller(String organization, String enrollmentId, Role role) {

    /**
     * Reads the caller from a chain that TLS has verified (leaf first). Empty when the leaf carries no
     * Charter subject with a role, or when its issuer belongs to another organization.
     *
     * @param trustedRoots where the issuer is looked up when the chain holds the leaf alone
     */
    public static Optional<TransportCaller> from(List<X509Certificate> chain, Collection<X509Certificate> trustedRoots) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.getFirst();
        Optional<SubjectName> subject = SubjectName.from(leaf);
        if (subject.isEmpty() || subject.get().role().isEmpty()) {
            return Optional.empty();
        }
        Optional<X509Certificate> issuer = chain.size() > 1 ? Optional.of(chain.get(1))
                : trustedRoots.stream().filter(root -> root.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
                        .findFirst();
        Optional<String> issuerOrganization = issuer.flatMap(SubjectName::from).map(SubjectName::organization);
        if (!issuerOrganization.equals(Optional.of(subject.get().organization()))) {
            return Optional.empty();
        }
        return Optional.of(new TransportCaller(subject.get().organization(), subject.get().commonName(),
                subject.get().role().get()));
    }

    /** The key connections are counted under: one enrollment id of one organization. */
    String connectionKey() {
        return organization + "/" + enrollmentId;
    }

    @Override
    public String toString() {
        return role.label() + " " + enrollmentId + " of " + organization;
    }
}
