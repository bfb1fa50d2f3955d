package io.charter.membership.enrollment;

import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.membership.CoreContext;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment with a secret, and re-enrollment with a current (or recently expired) certificate: the
 * transactions. What they decide is {@link EnrollmentRules}'; this class reads the records the rules need,
 * signs the template they return and records the issuance.
 */
public final class EnrollmentService {

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentService.class);

    /** The source of enrollments made inside this JVM (tests, an embedded service's own callers). */
    public static final String IN_PROCESS = "in-process";

    private final CoreContext context;
    private final EnrollmentThrottle throttle;

    public EnrollmentService(CoreContext context) {
        this.context = context;
        this.throttle = new EnrollmentThrottle(context.settings().enrollmentThrottle(), context.clock());
    }

    /** The throttle of failed enrollments (for its bounds in tests and metrics). */
    public EnrollmentThrottle throttle() {
        return throttle;
    }

    /** The identity's attributes as two arrays in name order, read with the identity in one query. */
    private static final String ATTRIBUTES = """
            array(select a.name from identity_attribute a where a.enrollment_id = i.enrollment_id order by a.name)
              as attribute_names,
            array(select a.value from identity_attribute a where a.enrollment_id = i.enrollment_id order by a.name)
              as attribute_values,
            array(select h.host from identity_host h where h.enrollment_id = i.enrollment_id order by h.host)
              as approved_hosts""";

    /** {@link #enroll(String, String, String, EnrollmentRequest)} from {@link #IN_PROCESS}. */
    public Enrollment enroll(String enrollmentId, String secret, EnrollmentRequest request) {
        return enroll(IN_PROCESS, enrollmentId, secret, request);
    }

    /**
     * Enrolls with the enrollment id and secret (HTTP Basic at the shell) sent from {@code source} (the
     * client's address). An unknown id and a wrong secret get the same answer after the same work, and
     * count alike in the {@link EnrollmentThrottle}; a failed enrollment writes nothing.
     *
     * @throws io.charter.membership.MembershipException AUTHENTICATION_FAILED, TOO_MANY_ATTEMPTS,
     *     IDENTITY_REVOKED, ENROLLMENT_LIMIT_REACHED, HOSTS_NOT_ALLOWED_FOR_ROLE, HOST_NOT_APPROVED,
     *     CSR_MALFORMED, CSR_BAD_SIGNATURE, CSR_MISMATCH, CSR_UNSUPPORTED_KEY, INVALID_REQUEST
     */
    public Enrollment enroll(String source, String enrollmentId, String secret, EnrollmentRequest request) {
        EnrollmentRules.checkShape(request);
        throttle.admit(source, enrollmentId);
        EnrollmentRules.requireCredentials(enrollmentId, secret);
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            Optional<EnrollmentRules.Registered> found = Database.queryOne(c, """
                    select i.enrollment_id, i.msp_id, i.type, i.max_enrollments, i.signing_enrollments,
                           i.tls_enrollments, i.secret_salt, i.secret_hash, i.revoked_at,
                    """ + ATTRIBUTES + """

                    from identity i
                    where i.enrollment_id = ? for update of i""",
                    r -> new EnrollmentRules.Registered(holder(r, 1), r.getInt(4), r.getInt(5), r.getInt(6),
                            r.getBytes(7), r.getBytes(8), Database.instant(r, "revoked_at") != null),
                    enrollmentId);
            if (!EnrollmentRules.secretMatches(found, secret)) {
                LOG.info("failed enrollment as '{}' from {}", EnrollmentRules.quote(enrollmentId), source);
                throw EnrollmentRules.authenticationFailed();
            }
            EnrollmentRules.Registered identity = found.get();
            throttle.forgive(source, enrollmentId);
            CertificateTemplate template = EnrollmentRules.enrollment(identity, request, now, context.settings());
            return issue(c, now, identity.holder(), template, "certificate.enroll", true);
        });
    }

    /**
     * Issues a new certificate to the holder of {@code current} (the shell has checked possession of its
     * key, by the TLS handshake or a signed token). {@code current} must have been issued by this service,
     * must not be revoked, nor its identity, and must not have expired longer ago than the grace period.
     * Does not count against max enrollments.
     *
     * @throws io.charter.membership.MembershipException CERTIFICATE_UNKNOWN, CERTIFICATE_EXPIRED,
     *     CERTIFICATE_REVOKED, IDENTITY_REVOKED, CSR_* codes, INVALID_REQUEST
     */
    public Enrollment reenroll(X509Certificate current, EnrollmentRequest request) {
        EnrollmentRules.checkShape(request);
        byte[] der = EnrollmentRules.presentedBytes(current);
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            Optional<EnrollmentRules.Issued> found = Database.queryOne(c, """
                    select i.enrollment_id, i.msp_id, i.type, c.der, c.not_before, c.not_after, c.revoked_at as cert_revoked,
                           i.revoked_at as identity_revoked,
                    """ + ATTRIBUTES + """

                    from certificate c join identity i on i.enrollment_id = c.enrollment_id
                    where c.serial = ? for update of i""",
                    r -> new EnrollmentRules.Issued(holder(r, 1), r.getBytes(4), Database.instant(r, "not_before"),
                            Database.instant(r, "not_after"), Database.instant(r, "cert_revoked") != null,
                            Database.instant(r, "identity_revoked") != null),
                    current.getSerialNumber());
            EnrollmentRules.Issued issued = EnrollmentRules.issuedHere(found, der);
            CertificateTemplate template = EnrollmentRules.reenrollment(issued, current.getSerialNumber(), request, now,
                    context.settings());
            return issue(c, now, issued.holder(), template, "certificate.reenroll", false);
        });
    }

    /**
     * Signs the template and writes what an issuance changes in one statement (one round trip): the
     * certificate row, the audit entry and, when {@code counted}, the profile's enrollment count.
     */
    private Enrollment issue(Connection c, Instant now, EnrollmentRules.Holder holder, CertificateTemplate template,
                             String action, boolean counted)
            throws SQLException {
        String id = holder.id();
        String mspId = holder.mspId();
        CertificatePurpose purpose = template.purpose();
        CertificateAuthority ca = context.cas().issuing(c, mspId, purpose)
                .orElseThrow(() -> new IllegalStateException("organization " + mspId + " has no issuing CA"));
        X509Certificate certificate = ca.issue(template);
        BigInteger serial = certificate.getSerialNumber();
        String profile = CertificateAuthorities.profileLabel(purpose);
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode issued certificate", e);
        }
        StringBuilder sql = new StringBuilder("with ");
        List<Object> parameters = new ArrayList<>();
        if (counted) {
            sql.append(purpose == CertificatePurpose.SIGNING
                    ? "counted as (update identity set signing_enrollments = signing_enrollments + 1 where enrollment_id = ?), "
                    : "counted as (update identity set tls_enrollments = tls_enrollments + 1 where enrollment_id = ?), ");
            parameters.add(id);
        }
        sql.append("""
                issued as (
                  insert into certificate (serial, ca_id, enrollment_id, profile, der, not_before, not_after, issued_at)
                  values (?, ?, ?, ?, ?, ?, ?, ?))
                """).append(Audit.INSERT);
        parameters.addAll(List.of(serial, CertificateAuthorities.id(mspId, purpose), id, profile, der,
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), now));
        parameters.addAll(Audit.values(now, id, mspId, action, serial.toString(16),
                profile + " certificate for " + id + " valid until " + certificate.getNotAfter().toInstant()
                        + (template.subjectAlternativeNames().isEmpty() ? "" : " hosts=" + template.subjectAlternativeNames())));
        Database.update(c, sql.toString(), parameters.toArray());
        return new Enrollment(certificate, ca.chain(), purpose);
    }

    /** The identity's columns from {@code first} on (id, MSP id, type) and its attributes and approved hosts. */
    private static EnrollmentRules.Holder holder(ResultSet r, int first) throws SQLException {
        return new EnrollmentRules.Holder(r.getString(first), r.getString(first + 1),
                Role.fromLabel(r.getString(first + 2)).orElseThrow(), attributes(r), hosts(r));
    }

    private static Set<String> hosts(ResultSet r) throws SQLException {
        return new LinkedHashSet<>(Arrays.asList((String[]) r.getArray("approved_hosts").getArray()));
    }

    private static Map<String, String> attributes(ResultSet r) throws SQLException {
        String[] names = (String[]) r.getArray("attribute_names").getArray();
        String[] values = (String[]) r.getArray("attribute_values").getArray();
        if (names.length != values.length) {
            throw new SQLException("attribute names and values differ in number");
        }
        Map<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            attributes.put(names[i], values[i]);
        }
        return attributes;
    }
}
