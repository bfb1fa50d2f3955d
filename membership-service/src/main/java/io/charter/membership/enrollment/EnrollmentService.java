package io.charter.membership.enrollment;

import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import io.charter.membership.identity.Secrets;
import io.charter.membership.issuance.TlsIssuance;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Enrollment with a secret, and re-enrollment with a current (or recently expired) certificate. */
public final class EnrollmentService {

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentService.class);
    /** Certificates start a little in the past so that nodes with slightly slow clocks accept them (as Fabric CA does). */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    /** The source of enrollments made inside this JVM (tests, an embedded service's own callers). */
    public static final String IN_PROCESS = "in-process";
    /**
     * What an unknown id's secret is checked against, so that an unknown id costs the same hash and
     * comparison as a wrong secret and the time to answer does not tell which ids exist.
     */
    private static final byte[] UNKNOWN_ID_SALT = Secrets.salt();
    private static final byte[] UNKNOWN_ID_HASH = Secrets.hash(UNKNOWN_ID_SALT, Secrets.generate());

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

    /** An identity row as enrollment needs it. */
    private record IdentityRow(String id, String mspId, Role type, int max, int signing, int tls, byte[] salt,
                               byte[] hash, Instant revokedAt, Map<String, String> attributes, Set<String> hosts) {}

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
        checkShape(request);
        throttle.admit(source, enrollmentId);
        if (enrollmentId == null || secret == null || enrollmentId.isEmpty() || secret.isEmpty()) {
            throw authenticationFailed();
        }
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            Optional<IdentityRow> found = Database.queryOne(c, """
                    select i.enrollment_id, i.msp_id, i.type, i.max_enrollments, i.signing_enrollments,
                           i.tls_enrollments, i.secret_salt, i.secret_hash, i.revoked_at,
                    """ + ATTRIBUTES + """

                    from identity i
                    where i.enrollment_id = ? for update of i""",
                    r -> new IdentityRow(r.getString(1), r.getString(2), Role.fromLabel(r.getString(3)).orElseThrow(),
                            r.getInt(4), r.getInt(5), r.getInt(6), r.getBytes(7), r.getBytes(8),
                            Database.instant(r, "revoked_at"), attributes(r), hosts(r)),
                    enrollmentId);
            boolean secretMatches = found.map(identity -> Secrets.matches(identity.salt(), identity.hash(), secret))
                    .orElseGet(() -> {
                        // the work of a wrong secret, then no: the time to answer does not tell the id is unknown
                        Secrets.matches(UNKNOWN_ID_SALT, UNKNOWN_ID_HASH, secret);
                        return false;
                    });
            if (!secretMatches) {
                LOG.info("failed enrollment as '{}' from {}", quote(enrollmentId), source);
                throw authenticationFailed();
            }
            IdentityRow identity = found.get();
            throttle.forgive(source, enrollmentId);
            if (identity.revokedAt() != null) {
                throw revoked(enrollmentId);
            }
            int used = request.profile() == CertificatePurpose.SIGNING ? identity.signing() : identity.tls();
            if (used >= identity.max()) {
                throw new MembershipException(ErrorCode.ENROLLMENT_LIMIT_REACHED, "the secret of " + enrollmentId
                        + " has been used for all " + identity.max() + " " + CertificateAuthorities.profileLabel(request.profile())
                        + " enrollment(s) it allows; re-enroll with your current certificate, or ask an admin to raise max enrollments");
            }
            Csrs.ParsedCsr csr = Csrs.parse(request.csr());
            checkSubject(csr.subject(), identity.id(), identity.mspId(), identity.type());
            return issue(c, now, identity.id(), identity.mspId(), identity.type(), identity.attributes(),
                    identity.hosts(), csr, request, "certificate.enroll", true);
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
        checkShape(request);
        if (current == null) {
            throw Checks.invalid("re-enrollment needs the caller's current certificate");
        }
        byte[] der;
        try {
            der = current.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN, "the presented certificate cannot be encoded");
        }
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            record Row(byte[] der, String id, String mspId, Role type, Instant notBefore, Instant notAfter,
                       Instant certRevoked, Instant identityRevoked, Map<String, String> attributes, Set<String> hosts) {}
            Row row = Database.queryOne(c, """
                    select c.der, i.enrollment_id, i.msp_id, i.type, c.not_before, c.not_after, c.revoked_at as cert_revoked,
                           i.revoked_at as identity_revoked,
                    """ + ATTRIBUTES + """

                    from certificate c join identity i on i.enrollment_id = c.enrollment_id
                    where c.serial = ? for update of i""",
                    r -> new Row(r.getBytes(1), r.getString(2), r.getString(3), Role.fromLabel(r.getString(4)).orElseThrow(),
                            Database.instant(r, "not_before"), Database.instant(r, "not_after"),
                            Database.instant(r, "cert_revoked"), Database.instant(r, "identity_revoked"), attributes(r),
                            hosts(r)),
                    current.getSerialNumber())
                    .filter(r -> Arrays.equals(r.der(), der))
                    .orElseThrow(() -> new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN,
                            "the presented certificate was not issued by this membership service; enroll with a secret instead"));
            if (row.identityRevoked() != null) {
                throw revoked(row.id());
            }
            if (row.certRevoked() != null) {
                throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED, "certificate " + current.getSerialNumber().toString(16)
                        + " is revoked and cannot re-enroll; ask an admin for a new registration or more enrollments");
            }
            if (now.isBefore(row.notBefore()) || now.isAfter(row.notAfter().plus(context.settings().reenrollGracePeriod()))) {
                throw new MembershipException(ErrorCode.CERTIFICATE_EXPIRED, "certificate " + current.getSerialNumber().toString(16)
                        + " expired at " + row.notAfter() + ", beyond the re-enrollment grace period of "
                        + context.settings().reenrollGracePeriod() + "; ask an admin to let you enroll again with a secret");
            }
            Csrs.ParsedCsr csr = Csrs.parse(request.csr());
            checkSubject(csr.subject(), row.id(), row.mspId(), row.type());
            return issue(c, now, row.id(), row.mspId(), row.type(), row.attributes(), row.hosts(), csr, request,
                    "certificate.reenroll", false);
        });
    }

    /**
     * Issues the certificate and writes what an issuance changes in one statement (one round trip): the
     * certificate row, the audit entry and, when {@code counted}, the profile's enrollment count. A TLS
     * certificate follows the role's profile ({@link TlsIssuance}): refused before anything is signed or written.
     */
    private Enrollment issue(Connection c, Instant now, String id, String mspId, Role type, Map<String, String> attributes,
                             Set<String> approvedHosts, Csrs.ParsedCsr csr, EnrollmentRequest request, String action,
                             boolean counted)
            throws SQLException {
        Duration lifetime = request.profile() == CertificatePurpose.SIGNING
                ? context.settings().memberLifetime() : context.settings().tlsLifetime();
        Validity validity = new Validity(now.minus(BACKDATE), now.plus(lifetime));
        SubjectName subject = SubjectName.of(id, mspId, type);
        CertificateTemplate template = request.profile() == CertificatePurpose.SIGNING
                ? CertificateTemplate.signing(subject, csr.publicKey(), validity)
                : TlsIssuance.template(subject, type, csr.publicKey(), validity, request.hosts(), approvedHosts);
        CertificateAuthority ca = context.cas().issuing(c, mspId, request.profile())
                .orElseThrow(() -> new IllegalStateException("organization " + mspId + " has no issuing CA"));
        X509Certificate certificate = ca.issue(template.withAttributes(attributes));
        BigInteger serial = certificate.getSerialNumber();
        String profile = CertificateAuthorities.profileLabel(request.profile());
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode issued certificate", e);
        }
        StringBuilder sql = new StringBuilder("with ");
        List<Object> parameters = new ArrayList<>();
        if (counted) {
            sql.append(request.profile() == CertificatePurpose.SIGNING
                    ? "counted as (update identity set signing_enrollments = signing_enrollments + 1 where enrollment_id = ?), "
                    : "counted as (update identity set tls_enrollments = tls_enrollments + 1 where enrollment_id = ?), ");
            parameters.add(id);
        }
        sql.append("""
                issued as (
                  insert into certificate (serial, ca_id, enrollment_id, profile, der, not_before, not_after, issued_at)
                  values (?, ?, ?, ?, ?, ?, ?, ?))
                """).append(Audit.INSERT);
        parameters.addAll(List.of(serial, CertificateAuthorities.id(mspId, request.profile()), id, profile, der,
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), now));
        parameters.addAll(Audit.values(now, id, mspId, action, serial.toString(16),
                profile + " certificate for " + id + " valid until " + certificate.getNotAfter().toInstant()
                        + (template.subjectAlternativeNames().isEmpty() ? "" : " hosts=" + template.subjectAlternativeNames())));
        Database.update(c, sql.toString(), parameters.toArray());
        return new Enrollment(certificate, ca.chain(), request.profile());
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

    private static void checkShape(EnrollmentRequest request) {
        if (request == null) {
            throw Checks.invalid("an enrollment needs a CSR and a profile");
        }
        if (request.profile() == CertificatePurpose.SIGNING && !request.hosts().isEmpty()) {
            throw Checks.invalid("hosts are for TLS certificates only; leave them out for the signing profile");
        }
        Checks.hosts(request.hosts());
    }

    /** CN must be the enrollment id; O and OU, when present, the organization and role. */
    static void checkSubject(X500Name subject, String id, String mspId, Role type) {
        String cn = single(subject, BCStyle.CN, "CN").orElseThrow(() -> mismatch("it has no CN; set CN=" + id));
        if (!cn.equals(id)) {
            throw mismatch("its CN is '" + cn + "' but the enrollment id is '" + id + "'");
        }
        single(subject, BCStyle.O, "O").filter(o -> !o.equals(mspId)).ifPresent(o -> {
            throw mismatch("its O is '" + o + "' but the identity belongs to " + mspId);
        });
        single(subject, BCStyle.OU, "OU").filter(ou -> !ou.equals(type.label())).ifPresent(ou -> {
            throw mismatch("its OU is '" + ou + "' but the identity is registered as " + type.label());
        });
    }

    private static Optional<String> single(X500Name name, ASN1ObjectIdentifier type, String label) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length == 0) {
            return Optional.empty();
        }
        if (rdns.length > 1 || rdns[0].isMultiValued()) {
            throw mismatch("it has more than one " + label);
        }
        return Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }

    private static MembershipException mismatch(String why) {
        return new MembershipException(ErrorCode.CSR_MISMATCH, "The CSR does not match the registration: " + why
                + ". Make a CSR with subject CN=<enrollment id> (O and OU may be left out).");
    }

    /** An id for the log: what anyone sent, so cut short and without control characters (no forged log lines). */
    private static String quote(String id) {
        String shown = id.length() > 128 ? id.substring(0, 128) + "..." : id;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static MembershipException authenticationFailed() {
        return new MembershipException(ErrorCode.AUTHENTICATION_FAILED,
                "wrong enrollment id or secret; use the secret returned at registration");
    }

    private static MembershipException revoked(String id) {
        return new MembershipException(ErrorCode.IDENTITY_REVOKED,
                "identity " + id + " is revoked; an admin must register a new identity");
    }
}
