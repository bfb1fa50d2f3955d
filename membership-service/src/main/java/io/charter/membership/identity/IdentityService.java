package io.charter.membership.identity;

import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import io.charter.membership.issuance.TlsIssuance;
import io.charter.membership.organization.OrganizationService;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Registration and administration of identities (Fabric CA's {@code register} and {@code identity}). */
public final class IdentityService {

    private final CoreContext context;

    public IdentityService(CoreContext context) {
        this.context = context;
    }

    /**
     * Registers an identity and returns its one-time enrollment secret. An admin of the organization
     * or a consortium admin only.
     *
     * A node (peer, orderer) is registered with the hosts its TLS certificates may name; a client or an
     * admin with none.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, ORGANIZATION_NOT_FOUND, IDENTITY_EXISTS, INVALID_REQUEST,
     *     HOSTS_NOT_ALLOWED_FOR_ROLE, TOO_MANY_HOSTS, HOST_INVALID
     */
    public Registration register(Caller caller, RegistrationRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.mspId() == null || !caller.administers(request.mspId())) {
            throw Checks.forbidden(caller, "register identities in " + request.mspId());
        }
        Checks.enrollmentId(request.enrollmentId());
        Checks.mspId(request.mspId());
        Checks.attributes(request.attributes());
        Checks.maxEnrollments(request.maxEnrollments());
        List<String> hosts = TlsIssuance.approvals(request.enrollmentId(), request.type(), request.hosts());
        String secret = Secrets.generate();
        byte[] salt = Secrets.salt();
        return context.db().transaction(c -> {
            if (!OrganizationService.exists(c, request.mspId())) {
                throw OrganizationService.notFound(request.mspId());
            }
            Instant now = context.clock().instant();
            insert(c, request.withHosts(hosts), salt, Secrets.hash(salt, secret), caller.enrollmentId(), now);
            Audit.record(c, now, caller, "identity.register", request.enrollmentId(),
                    "type=" + request.type().label() + " msp=" + request.mspId() + " maxEnrollments=" + request.maxEnrollments()
                            + " attributes=" + new TreeMap<>(request.attributes()).keySet()
                            + (hosts.isEmpty() ? "" : " hosts=" + hosts));
            return new Registration(request.enrollmentId(), request.mspId(), secret);
        });
    }

    /** Inserts an identity row, its attributes and its hosts (already checked). Internal: also used by the bootstrap. */
    public static void insert(Connection c, RegistrationRequest request, byte[] salt, byte[] hash, String registeredBy,
                              Instant now) throws SQLException {
        int inserted = Database.update(c, """
                insert into identity (enrollment_id, msp_id, type, max_enrollments, secret_salt, secret_hash,
                                      registered_by, registered_at)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                request.enrollmentId(), request.mspId(), request.type().label(), request.maxEnrollments(), salt, hash,
                registeredBy, now);
        if (inserted == 0) {
            throw new MembershipException(ErrorCode.IDENTITY_EXISTS, "identity " + request.enrollmentId()
                    + " is already registered; choose another enrollment id (ids are unique across organizations)");
        }
        insertAttributes(c, request.enrollmentId(), request.attributes());
        insertHosts(c, request.enrollmentId(), request.hosts());
    }

    private static void insertHosts(Connection c, String id, List<String> hosts) throws SQLException {
        for (String host : hosts) {
            Database.update(c, "insert into identity_host (enrollment_id, host) values (?, ?)", id, host);
        }
    }

    private static void insertAttributes(Connection c, String id, Map<String, String> attributes) throws SQLException {
        for (var entry : new TreeMap<>(attributes).entrySet()) {
            Database.update(c, "insert into identity_attribute (enrollment_id, name, value) values (?, ?, ?)",
                    id, entry.getKey(), entry.getValue());
        }
    }

    /** The identities of {@code mspId}, ordered by id. Admins of that organization or consortium admins. */
    public List<IdentityInfo> list(Caller caller, String mspId) {
        if (mspId == null || !caller.administers(mspId)) {
            throw Checks.forbidden(caller, "list the identities of " + mspId);
        }
        return context.db().transaction(c -> {
            if (!OrganizationService.exists(c, mspId)) {
                throw OrganizationService.notFound(mspId);
            }
            List<String> ids = Database.query(c, "select enrollment_id from identity where msp_id = ? order by enrollment_id",
                    r -> r.getString(1), mspId);
            List<IdentityInfo> result = new ArrayList<>();
            for (String id : ids) {
                result.add(load(c, id, false).orElseThrow());
            }
            return result;
        });
    }

    /** One identity with its certificates. Its organization's admins, consortium admins, or the identity itself. */
    public IdentityInfo show(Caller caller, String enrollmentId) {
        requireSomeAdminOrSelf(caller, enrollmentId);
        return context.db().transaction(c -> {
            IdentityInfo info = load(c, enrollmentId, false).orElseThrow(() -> notFound(enrollmentId));
            if (!caller.enrollmentId().equals(enrollmentId) && !caller.administers(info.mspId())) {
                throw Checks.forbidden(caller, "see identity " + enrollmentId);
            }
            return info;
        });
    }

    /**
     * Modifies attributes, max enrollments, type or approved hosts. Admins of its organization or consortium
     * admins. A node that becomes a client or an admin loses its approved hosts (it serves nothing any more);
     * giving hosts to an identity that is (or becomes) a client or an admin is refused.
     *
     * @throws io.charter.membership.MembershipException FORBIDDEN, IDENTITY_NOT_FOUND, IDENTITY_REVOKED,
     *     INVALID_REQUEST, HOSTS_NOT_ALLOWED_FOR_ROLE, TOO_MANY_HOSTS, HOST_INVALID
     */
    public IdentityInfo modify(Caller caller, String enrollmentId, IdentityUpdate update) {
        Objects.requireNonNull(update, "update");
        if (!caller.consortiumAdmin() && caller.role() != Role.ADMIN) {
            throw Checks.forbidden(caller, "modify identities");
        }
        update.attributes().ifPresent(Checks::attributes);
        update.maxEnrollments().ifPresent(Checks::maxEnrollments);
        return context.db().transaction(c -> {
            IdentityInfo current = load(c, enrollmentId, true).orElseThrow(() -> notFound(enrollmentId));
            if (!caller.administers(current.mspId())) {
                throw Checks.forbidden(caller, "modify identity " + enrollmentId);
            }
            if (current.revoked()) {
                throw new MembershipException(ErrorCode.IDENTITY_REVOKED,
                        "identity " + enrollmentId + " is revoked and cannot be modified; register a new identity");
            }
            Role type = update.type().orElse(current.type());
            Optional<List<String>> hosts = update.hosts().isPresent()
                    ? Optional.of(TlsIssuance.approvals(enrollmentId, type, update.hosts().get()))
                    : (TlsIssuance.servesTls(type) || current.hosts().isEmpty() ? Optional.empty() : Optional.of(List.of()));
            List<String> changes = new ArrayList<>();
            if (update.attributes().isPresent()) {
                Database.update(c, "delete from identity_attribute where enrollment_id = ?", enrollmentId);
                insertAttributes(c, enrollmentId, update.attributes().get());
                changes.add("attributes=" + new TreeMap<>(update.attributes().get()).keySet());
            }
            if (update.maxEnrollments().isPresent()) {
                Database.update(c, "update identity set max_enrollments = ? where enrollment_id = ?",
                        update.maxEnrollments().get(), enrollmentId);
                changes.add("maxEnrollments=" + update.maxEnrollments().get());
            }
            if (update.type().isPresent()) {
                Database.update(c, "update identity set type = ? where enrollment_id = ?",
                        update.type().get().label(), enrollmentId);
                changes.add("type=" + update.type().get().label());
            }
            if (hosts.isPresent()) {
                Database.update(c, "delete from identity_host where enrollment_id = ?", enrollmentId);
                insertHosts(c, enrollmentId, hosts.get());
                changes.add("hosts=" + hosts.get());
            }
            if (!changes.isEmpty()) {
                Audit.record(c, context.clock().instant(), caller, "identity.modify", enrollmentId, String.join(" ", changes));
            }
            return load(c, enrollmentId, false).orElseThrow();
        });
    }

    private static void requireSomeAdminOrSelf(Caller caller, String enrollmentId) {
        if (!caller.consortiumAdmin() && caller.role() != Role.ADMIN && !caller.enrollmentId().equals(enrollmentId)) {
            throw Checks.forbidden(caller, "see identity " + enrollmentId);
        }
    }

    public static MembershipException notFound(String enrollmentId) {
        return new MembershipException(ErrorCode.IDENTITY_NOT_FOUND,
                "identity " + enrollmentId + " is not registered; check the enrollment id or register it first");
    }

    /** Loads an identity with its attributes and certificates; {@code lock} locks its row for update. */
    public static Optional<IdentityInfo> load(Connection c, String enrollmentId, boolean lock) throws SQLException {
        record Row(String mspId, Role type, int max, int signing, int tls, Instant revokedAt, String by, Instant at) {}
        Optional<Row> row = Database.queryOne(c, """
                select msp_id, type, max_enrollments, signing_enrollments, tls_enrollments, revoked_at,
                       registered_by, registered_at
                from identity where enrollment_id = ?""" + (lock ? " for update" : ""),
                r -> new Row(r.getString(1), Role.fromLabel(r.getString(2)).orElseThrow(), r.getInt(3), r.getInt(4),
                        r.getInt(5), Database.instant(r, "revoked_at"), r.getString(7), Database.instant(r, "registered_at")),
                enrollmentId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> attributes = new TreeMap<>();
        for (String[] pair : Database.query(c, "select name, value from identity_attribute where enrollment_id = ?",
                r -> new String[] {r.getString(1), r.getString(2)}, enrollmentId)) {
            attributes.put(pair[0], pair[1]);
        }
        List<CertificateInfo> certificates = Database.query(c, """
                select serial, profile, not_before, not_after, issued_at, revoked_at, revocation_reason
                from certificate where enrollment_id = ? order by issued_at, serial""",
                r -> new CertificateInfo(Database.bigInteger(r, "serial"), enrollmentId, row.get().mspId(),
                        CertificateAuthorities.profileOf(r.getString("profile")), Database.instant(r, "not_before"),
                        Database.instant(r, "not_after"), Database.instant(r, "issued_at"),
                        Optional.ofNullable(Database.instant(r, "revoked_at")),
                        Optional.ofNullable((Integer) r.getObject("revocation_reason"))),
                enrollmentId);
        List<String> hosts = Database.query(c, "select host from identity_host where enrollment_id = ? order by host",
                r -> r.getString(1), enrollmentId);
        Row r = row.get();
        return Optional.of(new IdentityInfo(enrollmentId, r.mspId(), r.type(), attributes, r.max(), r.signing(), r.tls(),
                Optional.ofNullable(r.revokedAt()), r.by(), r.at(), certificates, hosts));
    }
}
