package io.charter.membership.enrollment;

import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.Checks;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.MembershipSettings;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.identity.Secrets;
import io.charter.membership.issuance.TlsIssuance;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * What enrollment and re-enrollment decide, apart from the database: whether a request is well formed,
 * whether a secret opens an identity, whether an identity or a certificate may have a new certificate, and
 * which certificate that is. {@link EnrollmentService} reads the records, applies these rules in the order
 * they are declared here and signs only the template they return: whatever they refuse is neither signed
 * nor written. Kept apart so that every refusal is tested, and mutated, without PostgreSQL.
 */
final class EnrollmentRules {

    /** Certificates start a little in the past so that nodes with slightly slow clocks accept them (as Fabric CA does). */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    /** Enrollment ids are at most 128 characters; what anyone sends is logged at most that long. */
    private static final int MAX_LOGGED_ID = 128;
    /**
     * What an unknown id's secret is checked against, so that an unknown id costs the same hash and
     * comparison as a wrong secret and the time to answer does not tell which ids exist.
     */
    private static final byte[] UNKNOWN_ID_SALT = Secrets.salt();
    private static final byte[] UNKNOWN_ID_HASH = Secrets.hash(UNKNOWN_ID_SALT, Secrets.generate());

    private EnrollmentRules() {}

    /** The identity a certificate is for, as recorded: what the certificate will say about it. */
    record Holder(String id, String mspId, Role type, Map<String, String> attributes, Set<String> approvedHosts) {}

    /** An identity as enrollment with its secret reads it (its row locked until the transaction ends). */
    record Registered(Holder holder, int maxEnrollments, int signingEnrollments, int tlsEnrollments, byte[] secretSalt,
                      byte[] secretHash, boolean revoked) {}

    /** A certificate this service issued, with its identity, as re-enrollment with it reads it. */
    record Issued(Holder holder, byte[] der, Instant notBefore, Instant notAfter, boolean revoked,
                  boolean identityRevoked) {}

    /** A request has a profile, hosts only for TLS, and hosts of the right shape: checked before anything is read. */
    static void checkShape(EnrollmentRequest request) {
        if (request == null) {
            throw Checks.invalid("an enrollment needs a CSR and a profile");
        }
        if (request.profile() == CertificatePurpose.SIGNING && !request.hosts().isEmpty()) {
            throw Checks.invalid("hosts are for TLS certificates only; leave them out for the signing profile");
        }
        Checks.hosts(request.hosts());
    }

    /** An id and a secret were sent; a missing or empty one is refused like a wrong one (after the throttle). */
    static void requireCredentials(String enrollmentId, String secret) {
        if (enrollmentId == null || secret == null || enrollmentId.isEmpty() || secret.isEmpty()) {
            throw authenticationFailed();
        }
    }

    /**
     * Whether {@code secret} is the found identity's. An unknown id costs the same work as a wrong secret and
     * gets the same answer; a revoked identity too (whether it is revoked is told only to its secret's holder).
     */
    static boolean secretMatches(Optional<Registered> found, String secret) {
        return found.map(identity -> Secrets.matches(identity.secretSalt(), identity.secretHash(), secret))
                .orElseGet(() -> {
                    // the work of a wrong secret, then no: the time to answer does not tell the id is unknown
                    Secrets.matches(UNKNOWN_ID_SALT, UNKNOWN_ID_HASH, secret);
                    return false;
                });
    }

    /**
     * The certificate an identity whose secret matched gets: refused when it is revoked, when its secret has
     * been used for every enrollment of the profile it allows, or when the CSR is not acceptable.
     *
     * @throws MembershipException IDENTITY_REVOKED, ENROLLMENT_LIMIT_REACHED, CSR_*, HOSTS_NOT_ALLOWED_FOR_ROLE,
     *     HOST_NOT_APPROVED
     */
    static CertificateTemplate enrollment(Registered identity, EnrollmentRequest request, Instant now,
                                          MembershipSettings settings) {
        Holder holder = identity.holder();
        if (identity.revoked()) {
            throw revoked(holder.id());
        }
        int used = request.profile() == CertificatePurpose.SIGNING ? identity.signingEnrollments() : identity.tlsEnrollments();
        if (used >= identity.maxEnrollments()) {
            throw new MembershipException(ErrorCode.ENROLLMENT_LIMIT_REACHED, "the secret of " + holder.id()
                    + " has been used for all " + identity.maxEnrollments() + " "
                    + CertificateAuthorities.profileLabel(request.profile())
                    + " enrollment(s) it allows; re-enroll with your current certificate, or ask an admin to raise max enrollments");
        }
        return template(holder, request, now, settings);
    }

    /**
     * The DER bytes of the certificate a re-enrollment presents, to compare with what this service issued.
     *
     * @throws MembershipException INVALID_REQUEST when there is none, CERTIFICATE_UNKNOWN when it cannot be encoded
     */
    static byte[] presentedBytes(X509Certificate current) {
        if (current == null) {
            throw Checks.invalid("re-enrollment needs the caller's current certificate");
        }
        try {
            return current.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN, "the presented certificate cannot be encoded");
        }
    }

    /**
     * The record of the presented certificate: found by its serial and the same bytes, or it was not issued
     * here (another CA may have used the serial).
     *
     * @throws MembershipException CERTIFICATE_UNKNOWN
     */
    static Issued issuedHere(Optional<Issued> found, byte[] presented) {
        return found.filter(issued -> Arrays.equals(issued.der(), presented))
                .orElseThrow(() -> new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN,
                        "the presented certificate was not issued by this membership service; enroll with a secret instead"));
    }

    /**
     * The certificate the holder of an issued certificate gets: refused when its identity or the certificate
     * is revoked, or when now is before the certificate's validity or after its end plus the grace period.
     *
     * @throws MembershipException IDENTITY_REVOKED, CERTIFICATE_REVOKED, CERTIFICATE_EXPIRED, CSR_*,
     *     HOSTS_NOT_ALLOWED_FOR_ROLE, HOST_NOT_APPROVED
     */
    static CertificateTemplate reenrollment(Issued current, BigInteger serial, EnrollmentRequest request, Instant now,
                                            MembershipSettings settings) {
        if (current.identityRevoked()) {
            throw revoked(current.holder().id());
        }
        if (current.revoked()) {
            throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED, "certificate " + serial.toString(16)
                    + " is revoked and cannot re-enroll; ask an admin for a new registration or more enrollments");
        }
        Duration grace = settings.reenrollGracePeriod();
        if (now.isBefore(current.notBefore()) || now.isAfter(current.notAfter().plus(grace))) {
            throw new MembershipException(ErrorCode.CERTIFICATE_EXPIRED, "certificate " + serial.toString(16)
                    + " expired at " + current.notAfter() + ", beyond the re-enrollment grace period of "
                    + grace + "; ask an admin to let you enroll again with a secret");
        }
        return template(current.holder(), request, now, settings);
    }

    /**
     * The certificate for the CSR's key: {@code CN=<id>, OU=<type>, O=<msp>} with the identity's attributes,
     * from {@link #BACKDATE} ago for the profile's lifetime; a TLS certificate names hosts by the role's rules
     * ({@link TlsIssuance}).
     */
    private static CertificateTemplate template(Holder holder, EnrollmentRequest request, Instant now,
                                                MembershipSettings settings) {
        Csrs.ParsedCsr csr = Csrs.parse(request.csr());
        checkSubject(csr.subject(), holder.id(), holder.mspId(), holder.type());
        boolean signing = request.profile() == CertificatePurpose.SIGNING;
        Duration lifetime = signing ? settings.memberLifetime() : settings.tlsLifetime();
        Validity validity = new Validity(now.minus(BACKDATE), now.plus(lifetime));
        SubjectName subject = SubjectName.of(holder.id(), holder.mspId(), holder.type());
        CertificateTemplate template = signing
                ? CertificateTemplate.signing(subject, csr.publicKey(), validity)
                : TlsIssuance.template(subject, holder.type(), csr.publicKey(), validity, request.hosts(),
                        holder.approvedHosts());
        return template.withAttributes(holder.attributes());
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

    /** An id for the log: what anyone sent, so cut short and without control characters (no forged log lines). */
    static String quote(String id) {
        String shown = id.length() > MAX_LOGGED_ID ? id.substring(0, MAX_LOGGED_ID) + "..." : id;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    static MembershipException authenticationFailed() {
        return new MembershipException(ErrorCode.AUTHENTICATION_FAILED,
                "wrong enrollment id or secret; use the secret returned at registration");
    }

    private static MembershipException revoked(String id) {
        return new MembershipException(ErrorCode.IDENTITY_REVOKED,
                "identity " + id + " is revoked; an admin must register a new identity");
    }

    private static MembershipException mismatch(String why) {
        return new MembershipException(ErrorCode.CSR_MISMATCH, "The CSR does not match the registration: " + why
                + ". Make a CSR with subject CN=<enrollment id> (O and OU may be left out).");
    }
}
