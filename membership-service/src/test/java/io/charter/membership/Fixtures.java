package io.charter.membership;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.Role;
import io.charter.membership.enrollment.Enrollment;
import io.charter.membership.enrollment.EnrollmentRequest;
import io.charter.membership.enrollment.ThrottleLimits;
import io.charter.membership.identity.Registration;
import io.charter.membership.identity.RegistrationRequest;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Helpers shared by the membership core tests. */
public final class Fixtures {

    public static final String PASSPHRASE = "correct horse battery staple";
    public static final String ADMIN = "admin";
    public static final String ADMIN_SECRET = "adminpw";

    private Fixtures() {}

    /**
     * Default settings but a cheap key derivation (tests create many CAs), unlimited bootstrap enrollments and
     * a throttle that tests of other things never meet (every in-process enrollment has the same source).
     */
    public static MembershipSettings.Builder settings() {
        return MembershipSettings.builder(PASSPHRASE, ADMIN_SECRET).keyDerivationIterations(1_000)
                .bootstrapAdminMaxEnrollments(100)
                .enrollmentThrottle(new ThrottleLimits(10_000, Duration.ofMillis(1), 10_000, Duration.ofMillis(1), 1_000, 1_000));
    }

    /** A PKCS#10 request in DER for {@code keys}, with subject {@code subject} (e.g. "CN=alice"). */
    public static byte[] csr(KeyPair keys, String subject) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String csrPem(KeyPair keys, String subject) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(csr(keys, subject))
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** An enrolled identity: its key and certificate, and the Caller it authenticates as. */
    public record Member(String id, KeyPair keys, Enrollment enrollment, Caller caller) {
        public X509Certificate certificate() {
            return enrollment.certificate();
        }
    }

    /** Enrolls the bootstrap admin with a signing certificate. */
    public static Member consortiumAdmin(MembershipCore core) {
        return enroll(core, ADMIN, ADMIN_SECRET);
    }

    public static Member enroll(MembershipCore core, String id, String secret) {
        KeyPair keys = EcKeys.generate();
        Enrollment enrollment = core.enrollment().enroll(id, secret, EnrollmentRequest.signing(csr(keys, "CN=" + id)));
        return new Member(id, keys, enrollment, core.authenticator().authenticate(enrollment.certificate()));
    }

    public static Member registerAndEnroll(MembershipCore core, Caller registrar, String id, Role type, String mspId) {
        Registration registration = core.identities().register(registrar, RegistrationRequest.of(id, type, mspId));
        return enroll(core, id, registration.secret());
    }

    /** Every row of every table, as text: two snapshots are equal exactly when a call wrote nothing. */
    public static Map<String, List<String>> snapshot(DataSource dataSource) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery("""
                    select table_name from information_schema.tables
                    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name""")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            for (String table : names) {
                List<String> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery("select t::text from " + table + " t order by 1")) {
                    while (r.next()) {
                        rows.add(r.getString(1));
                    }
                }
                tables.put(table, rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }
}
