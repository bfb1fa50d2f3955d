package io.charter.membership.enrollment;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.audit.Audit;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Certificates the membership service issues to itself: the HTTPS server certificate of an instance,
 * straight from the consortium organization's TLS CA, without registering an identity. The subject is
 * {@code CN=<name>, O=<consortium MSP id>} with no role (OU), so no Charter validator takes it for a member
 * or node; the extensions are those of every TLS certificate (serverAuth and clientAuth, the hosts as
 * subject alternative names). Each issuance is audited as a {@code system} action.
 *
 * <p>Such a certificate is not in the certificate table (that table holds identities' certificates), so it
 * cannot authenticate a caller of this service and is not revoked through the API: its key lives only in
 * the memory of the instance that asked for it.
 */
public final class ServiceCertificates {

    /** The audit action of a service certificate issuance. */
    public static final String AUDIT_ACTION = "service.tls";

    private final CoreContext context;

    public ServiceCertificates(CoreContext context) {
        this.context = context;
    }

    /**
     * Issues a TLS certificate for {@code publicKey} (EC P-256) from the consortium organization's TLS CA.
     *
     * @param name the certificate's common name, an enrollment-id-like name such as {@code membership}
     * @param hosts DNS names or IP addresses the service answers on (subject alternative names)
     * @throws io.charter.membership.MembershipException INVALID_REQUEST for a bad name, host or key
     */
    public Enrollment issueServiceTls(String name, PublicKey publicKey, List<String> hosts) {
        Checks.enrollmentId(name);
        Checks.hosts(hosts);
        if (hosts.isEmpty()) {
            throw Checks.invalid("a service TLS certificate needs at least one host");
        }
        if (publicKey == null || !EcKeys.isP256(publicKey)) {
            throw Checks.invalid("a service TLS certificate is for an EC P-256 key");
        }
        String mspId = context.settings().consortiumMspId();
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            CertificateAuthority ca = context.cas().issuing(c, mspId, CertificatePurpose.TLS)
                    .orElseThrow(() -> new IllegalStateException("the consortium organization " + mspId + " has no TLS CA"));
            Validity validity = new Validity(now.minus(EnrollmentRules.BACKDATE), now.plus(context.settings().tlsLifetime()));
            X509Certificate certificate = ca.issue(CertificateTemplate.tls(
                    new SubjectName(name, mspId, Optional.empty()), publicKey, validity, hosts));
            Audit.record(c, now, Audit.SYSTEM, mspId, AUDIT_ACTION, certificate.getSerialNumber().toString(16),
                    "TLS certificate for the membership service " + name + " hosts=" + hosts
                            + " valid until " + certificate.getNotAfter().toInstant());
            return new Enrollment(certificate, ca.chain(), CertificatePurpose.TLS);
        });
    }
}
