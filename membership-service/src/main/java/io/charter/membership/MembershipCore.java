package io.charter.membership;

import io.charter.membership.audit.AuditLog;
import io.charter.membership.authentication.CertificateAuthenticator;
import io.charter.membership.enrollment.EnrollmentService;
import io.charter.membership.identity.IdentityService;
import io.charter.membership.index.IndexService;
import io.charter.membership.organization.OrganizationService;
import io.charter.membership.revocation.RevocationService;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The membership service without its web shell: assembles every service over one database. Several
 * instances may serve the same database; they share no memory state but immutable caches.
 */
public final class MembershipCore {

    private MembershipCore() {}

    /**
     * Migrates the schema (Flyway), bootstraps on first start (under a PostgreSQL advisory lock: root
     * CA created or imported, consortium organization and its issuing CAs, bootstrap admin) and checks
     * that the CA key passphrase opens the stored keys.
     *
     * @throws StartupException when the passphrase is wrong, an import fails or the database is unusable
     */
    public static MembershipCore start(DataSource dataSource, MembershipSettings settings, Clock clock) {
        throw new UnsupportedOperationException();
    }

    public MembershipSettings settings() { throw new UnsupportedOperationException(); }

    public CertificateAuthenticator authenticator() { throw new UnsupportedOperationException(); }

    public OrganizationService organizations() { throw new UnsupportedOperationException(); }

    public IdentityService identities() { throw new UnsupportedOperationException(); }

    public EnrollmentService enrollment() { throw new UnsupportedOperationException(); }

    public RevocationService revocation() { throw new UnsupportedOperationException(); }

    public IndexService index() { throw new UnsupportedOperationException(); }

    public AuditLog audit() { throw new UnsupportedOperationException(); }

    /** The consortium root CA certificate (the trust anchor of every organization). */
    public java.security.cert.X509Certificate rootCertificate() { throw new UnsupportedOperationException(); }
}
