package io.charter.membership;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.ca.KeyVault;
import io.charter.membership.ca.RootImporter;
import io.charter.membership.db.Database;
import io.charter.membership.identity.IdentityService;
import io.charter.membership.identity.RegistrationRequest;
import io.charter.membership.identity.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: migrations, then, under a PostgreSQL advisory lock so that concurrent instances on an
 * empty database create exactly one of each, the root CA, the consortium organization with its
 * issuing CAs, and the bootstrap admin identity. Later starts check the passphrase and the settings.
 */
final class Bootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    /** Arbitrary, fixed: "charter-m" in ASCII. */
    private static final long ADVISORY_LOCK = 0x63686172746572_6DL;

    private Bootstrap() {}

    static void migrate(Database db) {
        try {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new StartupException("cannot migrate the membership database schema: " + e.getMessage(), e);
        }
    }

    static void run(CoreContext context) {
        MembershipSettings settings = context.settings();
        try {
            context.db().transaction(c -> {
                Database.query(c, "select pg_advisory_xact_lock(?)", r -> 1, ADVISORY_LOCK);
                Optional<String> consortium = Database.queryOne(c, "select msp_id from organization where consortium",
                        r -> r.getString(1));
                boolean hasRoot = Database.queryOne(c, "select 1 from certificate_authority where id = ?", r -> 1,
                        CertificateAuthorities.ROOT_ID).isPresent();
                if (hasRoot && consortium.isPresent()) {
                    if (!consortium.get().equals(settings.consortiumMspId())) {
                        throw new StartupException("this database was bootstrapped for consortium organization "
                                + consortium.get() + " but the settings name " + settings.consortiumMspId()
                                + "; set the consortium MSP id back to " + consortium.get());
                    }
                    return null;
                }
                if (hasRoot || consortium.isPresent()) {
                    throw new StartupException("the membership database is half bootstrapped (root CA "
                            + (hasRoot ? "present" : "missing") + ", consortium organization "
                            + (consortium.isPresent() ? "present" : "missing") + "); restore it from a backup");
                }
                firstStart(c, context);
                return null;
            });
            // A wrong passphrase must stop the service now, not at the first enrollment.
            context.db().transaction(c -> context.cas().root(c));
        } catch (KeyVault.KeyVaultException e) {
            throw new StartupException("cannot open the CA keys: " + e.getMessage(), e);
        }
    }

    private static void firstStart(Connection c, CoreContext context) throws SQLException {
        MembershipSettings settings = context.settings();
        Instant now = context.clock().instant();
        String mspId = Checks.mspId(settings.consortiumMspId());
        CertificateAuthority root;
        boolean imported = settings.rootImport().isPresent();
        if (imported) {
            root = RootImporter.load(settings.rootImport().get());
        } else {
            root = CertificateAuthority.createRoot(SubjectName.ca("rootca." + mspId, mspId), EcKeys.generate(),
                    new Validity(now.minus(Duration.ofMinutes(5)), now.plus(settings.rootLifetime())));
        }
        context.cas().store(c, CertificateAuthorities.ROOT_ID, "root", null, root, imported);
        Database.update(c, "insert into organization (msp_id, consortium, created_at, created_by) values (?, true, ?, ?)",
                mspId, now, Audit.SYSTEM);
        context.cas().createOrganizationCas(c, mspId);
        String adminId = Checks.enrollmentId(settings.bootstrapAdminId());
        byte[] salt = Secrets.salt();
        IdentityService.insert(c, new RegistrationRequest(adminId, Role.ADMIN, mspId, Map.of(),
                settings.bootstrapAdminMaxEnrollments(), java.util.List.of()), salt, Secrets.hash(salt, settings.bootstrapAdminSecret()),
                Audit.SYSTEM, now);
        Audit.record(c, now, Audit.SYSTEM, null, "bootstrap", mspId, (imported ? "imported" : "created")
                + " root CA " + root.certificate().getSubjectX500Principal().getName()
                + "; consortium organization and bootstrap admin " + adminId + " created");
        LOG.info("bootstrapped the membership service: consortium {} with bootstrap admin {}", mspId, adminId);
    }
}
