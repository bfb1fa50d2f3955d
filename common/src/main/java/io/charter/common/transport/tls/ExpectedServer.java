package io.charter.common.transport.tls;

import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which node a client meant to reach, checked against the server's certificate after its chain
 * and host name: the role (a peer for proposals, an orderer for broadcast), and where the client
 * knows them the organization and the node id (the certificate's common name). The chain and the
 * host name alone would accept any certificate of the consortium that names the host, a client's
 * included.
 *
 * @param roles the roles the server may have
 * @param organization the MSP id the server must belong to, when known
 * @param nodeId the node id the server's certificate must name, when known
 */
public record ExpectedServer(Set<Role> roles, Optional<String> organization, Optional<String> nodeId) {

    public ExpectedServer {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("expect at least one server role");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Any node of the network: a peer or an orderer (never a client's or an admin's certificate). */
    public static ExpectedServer anyNode() {
        return new ExpectedServer(Set.of(Role.PEER, Role.ORDERER), Optional.empty(), Optional.empty());
    }

    public static ExpectedServer peer() {
        return new ExpectedServer(Set.of(Role.PEER), Optional.empty(), Optional.empty());
    }

    public static ExpectedServer orderer() {
        return new ExpectedServer(Set.of(Role.ORDERER), Optional.empty(), Optional.empty());
    }

    public ExpectedServer ofOrganization(String mspId) {
        return new ExpectedServer(roles, Optional.of(mspId), nodeId);
    }

    public ExpectedServer withNodeId(String id) {
        return new ExpectedServer(roles, organization, Optional.of(id));
    }

    /**
     * @param chain the server's chain, already verified up to a trusted root (leaf first)
     * @throws CertificateException saying which expectation the certificate does not meet
     */
    void check(List<X509Certificate> chain) throws CertificateException {
        X509Certificate leaf = chain.getFirst();
        SubjectName subject = SubjectName.from(leaf)
                .orElseThrow(() -> new CertificateException("the server's certificate " + leaf.getSubjectX500Principal()
                        + " names no Charter role: it is not a node's certificate"));
        Role role = subject.role().orElseThrow(() -> new CertificateException("the server presented a CA certificate "
                + leaf.getSubjectX500Principal() + " as its own"));
        if (!roles.contains(role)) {
            throw new CertificateException("the server " + subject.commonName() + " of " + subject.organization()
                    + " presented a " + role.label() + " certificate; expected " + describeRoles());
        }
        if (chain.size() > 1) {
            Optional<String> issuerOrganization = SubjectName.from(chain.get(1)).map(SubjectName::organization);
            if (!issuerOrganization.equals(Optional.of(subject.organization()))) {
                throw new CertificateException("the server's certificate claims " + subject.organization()
                        + " but was issued by a CA of " + issuerOrganization.orElse("no organization"));
            }
        }
        if (organization.isPresent() && !organization.get().equals(subject.organization())) {
            throw new CertificateException("the server " + subject.commonName() + " belongs to " + subject.organization()
                    + "; expected a node of " + organization.get());
        }
        if (nodeId.isPresent() && !nodeId.get().equals(subject.commonName())) {
            throw new CertificateException("the server is " + subject.commonName() + " of " + subject.organization()
                    + "; expected " + nodeId.get());
        }
    }

    private String describeRoles() {
        return Arrays.stream(Role.values()).filter(roles::contains).map(Role::label).collect(Collectors.joining(" or "));
    }
}
