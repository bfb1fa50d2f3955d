package io.charter.membership.issuance;

import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who gets which TLS certificate (DESIGN section 9, "certificate profiles by role"). Only nodes (peers and
 * orderers) serve TLS, so only they get server certificates (serverAuth and clientAuth), and only for hosts
 * their registrar approved at registration. Clients and admins only ever connect, so their TLS certificates
 * carry clientAuth and no host: whatever else they hold, they cannot pass for a node or for this service in
 * a TLS client's host name check.
 */
public final class TlsIssuance {

    private TlsIssuance() {}

    /** Whether identities of this role serve TLS (and so may have hosts). */
    public static boolean servesTls(Role role) {
        return role == Role.PEER || role == Role.ORDERER;
    }

    /**
     * The hosts a registrar approves for an identity of {@code role}, checked and canonical.
     *
     * @throws MembershipException HOSTS_NOT_ALLOWED_FOR_ROLE (hosts for a client or an admin), TOO_MANY_HOSTS,
     *     HOST_INVALID
     */
    public static List<String> approvals(String enrollmentId, Role role, List<String> hosts) {
        if (!servesTls(role)) {
            if (!hosts.isEmpty()) {
                throw new MembershipException(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, enrollmentId + " is registered as "
                        + role.label() + ": only peers and orderers serve TLS and have hosts; leave hosts out, or"
                        + " register the identity as a peer or an orderer");
            }
            return List.of();
        }
        return HostNames.approve(hosts);
    }

    /**
     * The TLS certificate an identity gets. A node's names exactly the hosts it asked for, every one of
     * them approved (all of its approved hosts when it asks for none); a client's or an admin's names
     * none, and asking for any is refused.
     *
     * @param requested the hosts in the enrollment request, already checked for shape
     * @param approved the identity's approved hosts, canonical
     * @throws MembershipException HOSTS_NOT_ALLOWED_FOR_ROLE, HOST_NOT_APPROVED
     */
    public static CertificateTemplate template(SubjectName subject, Role role, PublicKey key, Validity validity,
                                               List<String> requested, Set<String> approved) {
        String id = subject.commonName();
        if (!servesTls(role)) {
            if (!requested.isEmpty()) {
                throw new MembershipException(ErrorCode.HOSTS_NOT_ALLOWED_FOR_ROLE, id + " is a " + role.label()
                        + ": its TLS certificate is for connecting to nodes (clientAuth) and names no host; leave"
                        + " hosts out of the request");
            }
            return CertificateTemplate.tlsClient(subject, key, validity);
        }
        if (requested.isEmpty()) {
            if (approved.isEmpty()) {
                throw notApproved(id, "it has no approved hosts; ask its registrar to approve the hosts it serves"
                        + " (PATCH /api/v1/identities/" + id + " with hosts, or 'charter register --hosts' for a new node)");
            }
            return CertificateTemplate.tls(subject, key, validity, List.copyOf(approved));
        }
        Set<String> hosts = new LinkedHashSet<>();
        List<String> refused = new ArrayList<>();
        for (String host : requested) {
            Optional<String> canonical = HostNames.canonical(host);
            if (canonical.isPresent() && approved.contains(canonical.get())) {
                hosts.add(canonical.get());
            } else {
                refused.add(HostNames.quote(host));
            }
        }
        if (!refused.isEmpty()) {
            throw notApproved(id, "its registrar did not approve " + String.join(", ", refused.subList(0,
                    Math.min(refused.size(), 4))) + (refused.size() > 4 ? " and " + (refused.size() - 4) + " more" : "")
                    + "; ask for approved hosts only, or ask the registrar to approve these");
        }
        return CertificateTemplate.tls(subject, key, validity, List.copyOf(hosts));
    }

    private static MembershipException notApproved(String id, String why) {
        return new MembershipException(ErrorCode.HOST_NOT_APPROVED, "no TLS certificate for " + id + ": " + why);
    }
}
