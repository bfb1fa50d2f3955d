package io.charter.membership;

import io.charter.membership.audit.AuditLog;
import io.charter.membership.authentication.CertificateAuthenticator;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.ca.KeyVault;
import io.charter.membership.db.Database;
import io.charter.membership.enrollment.EnrollmentService;
import io.charter.membership.enrollment.ServiceCertificates;
import io.charter.membership.identity.IdentityService;
import io.charter.membership.index.IndexService;
import io.charter.membership.organization.OrganizationService;
import io.charter.membership.revocation.RevocationService;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The membership service without its web shell: assembles every service over one database. Several
 * instances may serve the same database; they share no memory state but immutable caches (CA keys).
 */
public final class MembershipCore {

    private final MembershipSettings settings;
    private final CertificateAuthenticator authenticator;
    private final OrganizationService organizations;
    private final IdentityService identities;
    private final EnrollmentService enrollment;
    private final RevocationService revocation;
    private final IndexService index;
    private final AuditLog audit;
    private final ServiceCertificates serviceCertificates;
    private final X509Certificate rootCertificate;

    private MembershipCore(CoreContext context) {
        this.settings = context.settings();
        this.authenticator = new CertificateAuthenticator(context);
        this.organizations = new OrganizationService(context);
        this.identities = new IdentityService(context);
        this.enrollment = new EnrollmentService(context);
        this.revocation = new RevocationService(context);
        this.index = new IndexService(context);
        this.audit = new AuditLog(context);
        this.serviceCertificates = new ServiceCertificates(context);
        this.rootCertificate = context.db().transaction(c -> context.cas().root(c).certificate());
    }

    /**
     * Migrates the schema (Flyway), bootstraps on first start (under a PostgreSQL advisory lock: root
     * CA created or imported, consortium organization and its issuing CAs, bootstrap admin) and checks
     * that the CA key passphrase opens the stored keys.
     *
     * @throws StartupException when the passphrase is wrong, an import fails or the database is unusable
     */
    public static MembershipCore start(DataSource dataSource, MembershipSettings settings, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Database db = new Database(dataSource);
        KeyVault vault = new KeyVault(settings.keyPassphrase(), settings.keyDerivationIterations());
        CoreContext context = new CoreContext(db, clock, settings, new CertificateAuthorities(vault, clock, settings));
        Bootstrap.migrate(db);
        Bootstrap.run(context);
        return new MembershipCore(context);
    }

    public MembershipSettings settings() {
        return settings;
    }

    public CertificateAuthenticator authenticator() {
        return authenticator;
    }

    public OrganizationService organizations() {
        return organizations;
    }

    public IdentityService identities() {
        return identities;
    }

    public EnrollmentService enrollment() {
        return enrollment;
    }

    public RevocationService revocation() {
        return revocation;
    }

    public IndexService index() {
        return index;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Certificates the service issues to itself (its HTTPS certificate). */
    public ServiceCertificates serviceCertificates() {
        return serviceCertificates;
    }

    /** The consortium root CA certificate (the trust anchor of every organization). */
    public X509Certificate rootCertificate() {
        return rootCertificate;
    }
}
