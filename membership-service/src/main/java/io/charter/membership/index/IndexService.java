package io.charter.membership.index;

import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.membership.Caller;
import io.charter.membership.Checks;
import io.charter.membership.CoreContext;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import io.charter.membership.MembershipSettings;
import io.charter.membership.audit.Audit;
import io.charter.membership.ca.CertificateAuthorities;
import io.charter.membership.db.Database;
import io.charter.membership.revocation.RevocationService;
import java.math.BigInteger;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.SignatureVerifier;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The index server (Corda network map, Fabric discovery): nodes register and heartbeat with requests
 * signed by their node signing identity; anyone authenticated discovers who serves a channel.
 *
 * <p>Node state is computed from timestamps at query time; nodes silent for longer than
 * {@code evictAfter} are evicted lazily (deleted and audited) by whichever instance notices first.
 */
public final class IndexService {

    private static final SignatureVerifier VERIFIER = new EcdsaVerifier();

    private final CoreContext context;

    public IndexService(CoreContext context) {
        this.context = context;
    }

    private MembershipSettings settings() {
        return context.settings();
    }

    /**
     * Registers (or re-registers) a node. {@code body} is a {@link NodeRegistration#encode() canonically
     * encoded} registration and {@code signature} the node's DER ECDSA signature over exactly those bytes
     * with the key of the signing certificate the registration carries.
     *
     * @throws io.charter.membership.MembershipException NODE_REQUEST_MALFORMED, BAD_SIGNATURE,
     *     CERTIFICATE_UNKNOWN, CERTIFICATE_EXPIRED, CERTIFICATE_REVOKED, FORBIDDEN (not a peer or orderer
     *     certificate, or certificates of another node), STALE_REQUEST, INVALID_REQUEST
     */
    public IndexAnswer register(byte[] body, byte[] signature) {
        if (body == null || signature == null) {
            throw CanonicalCodec.malformed("body and signature are required");
        }
        NodeRegistration registration = NodeRegistration.decode(body);
        if (!verify(registration.signingCertificate().getPublicKey(), body, signature)) {
            throw badSignature();
        }
        if (registration.role() != Role.PEER && registration.role() != Role.ORDERER) {
            throw new MembershipException(ErrorCode.FORBIDDEN,
                    "only peers and orderers register in the index, not " + registration.role().label() + "s");
        }
        registration.channelHeights().forEach(IndexService::checkChannel);
        evictStale();
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            checkSkew(registration.sentAt(), now);
            BigInteger signingSerial = checkNodeCertificate(c, registration.signingCertificate(), CertificatePurpose.SIGNING,
                    registration.nodeId(), registration.mspId(), registration.role(), now);
            BigInteger tlsSerial = checkNodeCertificate(c, registration.tlsCertificate(), CertificatePurpose.TLS,
                    registration.nodeId(), registration.mspId(), registration.role(), now);
            int written = Database.update(c, """
                    insert into node (node_id, msp_id, role, anchor, signing_serial, tls_serial, registered_at,
                                      last_heartbeat, last_sent_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (node_id) do update set msp_id = excluded.msp_id, role = excluded.role,
                        anchor = excluded.anchor, signing_serial = excluded.signing_serial,
                        tls_serial = excluded.tls_serial, last_heartbeat = excluded.last_heartbeat,
                        last_sent_at = excluded.last_sent_at
                    where node.last_sent_at < excluded.last_sent_at""",
                    registration.nodeId(), registration.mspId(), registration.role().label(), registration.anchor(),
                    signingSerial, tlsSerial, now, now, registration.sentAt());
            if (written == 0) {
                throw stale(registration.nodeId());
            }
            Database.update(c, "delete from node_endpoint where node_id = ?", registration.nodeId());
            for (int i = 0; i < registration.endpoints().size(); i++) {
                Endpoint e = registration.endpoints().get(i);
                Database.update(c, "insert into node_endpoint (node_id, position, host, port) values (?, ?, ?, ?)",
                        registration.nodeId(), i, e.host(), e.port());
            }
            replaceChannels(c, registration.nodeId(), registration.channelHeights());
            Audit.record(c, now, registration.nodeId(), registration.mspId(), "node.register", registration.nodeId(),
                    registration.role().label() + " endpoints=" + registration.endpoints() + " channels="
                            + registration.channelHeights().keySet() + " anchor=" + registration.anchor());
            return answer(c, registration.nodeId());
        });
    }

    /**
     * Renews a registration and updates ledger heights. {@code body} is a {@link Heartbeat#encode()
     * canonically encoded} heartbeat signed with the registered signing certificate's key.
     *
     * @throws io.charter.membership.MembershipException NODE_NOT_FOUND (evicted or never registered:
     *     register again), NODE_REQUEST_MALFORMED, BAD_SIGNATURE, CERTIFICATE_EXPIRED, CERTIFICATE_REVOKED,
     *     STALE_REQUEST
     */
    public IndexAnswer heartbeat(byte[] body, byte[] signature) {
        if (body == null || signature == null) {
            throw CanonicalCodec.malformed("body and signature are required");
        }
        Heartbeat heartbeat = Heartbeat.decode(body);
        heartbeat.channelHeights().forEach(IndexService::checkChannel);
        evictStale();
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            record Row(String mspId, Instant lastSentAt, byte[] signingDer, Instant signingNotAfter,
                       Instant signingRevoked, Instant tlsNotAfter, Instant tlsRevoked, Instant identityRevoked) {}
            Row row = Database.queryOne(c, """
                    select n.msp_id, n.last_sent_at, s.der, s.not_after as s_not_after, s.revoked_at as s_revoked,
                           t.not_after as t_not_after, t.revoked_at as t_revoked, i.revoked_at as i_revoked
                    from node n
                    join certificate s on s.serial = n.signing_serial
                    join certificate t on t.serial = n.tls_serial
                    join identity i on i.enrollment_id = n.node_id
                    where n.node_id = ? for update of n""",
                    r -> new Row(r.getString(1), Database.instant(r, "last_sent_at"), r.getBytes(3),
                            Database.instant(r, "s_not_after"), Database.instant(r, "s_revoked"),
                            Database.instant(r, "t_not_after"), Database.instant(r, "t_revoked"),
                            Database.instant(r, "i_revoked")),
                    heartbeat.nodeId())
                    .filter(r -> r.mspId().equals(heartbeat.mspId()))
                    .orElseThrow(() -> nodeNotFound(heartbeat.nodeId()));
            X509Certificate signing = CertificateAuthorities.parseCertificate(row.signingDer());
            if (!verify(signing.getPublicKey(), body, signature)) {
                throw badSignature();
            }
            if (row.signingRevoked() != null || row.tlsRevoked() != null || row.identityRevoked() != null) {
                throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED,
                        "a certificate of node " + heartbeat.nodeId() + " is revoked; re-enroll and register again");
            }
            if (now.isAfter(row.signingNotAfter()) || now.isAfter(row.tlsNotAfter())) {
                throw new MembershipException(ErrorCode.CERTIFICATE_EXPIRED,
                        "a certificate of node " + heartbeat.nodeId() + " expired; re-enroll and register again");
            }
            checkSkew(heartbeat.sentAt(), now);
            if (!heartbeat.sentAt().isAfter(row.lastSentAt())) {
                throw stale(heartbeat.nodeId());
            }
            Database.update(c, "update node set last_heartbeat = ?, last_sent_at = ? where node_id = ?",
                    now, heartbeat.sentAt(), heartbeat.nodeId());
            replaceChannels(c, heartbeat.nodeId(), heartbeat.channelHeights());
            return answer(c, heartbeat.nodeId());
        });
    }

    /** All registered nodes with their state, ordered by node id. Any authenticated caller. */
    public List<NodeView> nodes(Caller caller) {
        evictStale();
        return context.db().transaction(c -> loadNodes(c, null, null, n -> true));
    }

    /** @throws io.charter.membership.MembershipException NODE_NOT_FOUND */
    public NodeView node(Caller caller, String nodeId) {
        evictStale();
        return context.db().transaction(c -> loadNodes(c, "n.node_id = ?", nodeId, n -> true)).stream().findFirst()
                .orElseThrow(() -> nodeNotFound(nodeId));
    }

    /** Removes a node from the index (audited). Admins of its organization or consortium admins. */
    public void evict(Caller caller, String nodeId) {
        if (!caller.consortiumAdmin() && caller.role() != Role.ADMIN) {
            throw Checks.forbidden(caller, "evict nodes");
        }
        context.db().transaction(c -> {
            String mspId = Database.queryOne(c, "select msp_id from node where node_id = ? for update", r -> r.getString(1), nodeId)
                    .orElseThrow(() -> nodeNotFound(nodeId));
            if (!caller.administers(mspId)) {
                throw Checks.forbidden(caller, "evict nodes of " + mspId);
            }
            Database.update(c, "delete from node where node_id = ?", nodeId);
            Database.update(c, "delete from leader_lease where holder = ?", nodeId);
            Audit.record(c, context.clock().instant(), caller, "node.evict", nodeId, "evicted by an admin");
            return null;
        });
    }

    /** The UP orderers that serve {@code channel}. */
    public List<NodeView> orderers(Caller caller, String channel) {
        return serving(channel, n -> n.role() == Role.ORDERER);
    }

    /** The UP peers that serve {@code channel}, by MSP id (sorted). */
    public Map<String, List<NodeView>> peersByOrganization(Caller caller, String channel) {
        Map<String, List<NodeView>> result = new TreeMap<>();
        for (NodeView node : serving(channel, n -> n.role() == Role.PEER)) {
            result.computeIfAbsent(node.mspId(), k -> new ArrayList<>()).add(node);
        }
        Map<String, List<NodeView>> copy = new LinkedHashMap<>();
        result.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** The UP anchor peers of {@code channel}. */
    public List<NodeView> anchorPeers(Caller caller, String channel) {
        return serving(channel, n -> n.role() == Role.PEER && n.anchor());
    }

    /** The peer that holds the unexpired leader lease of {@code mspId} on {@code channel}, if it is UP. */
    public Optional<NodeView> leader(Caller caller, String channel, String mspId) {
        Checks.channel(channel);
        evictStale();
        return context.db().transaction(c -> {
            Optional<String> holder = Database.queryOne(c, """
                    select holder from leader_lease where channel = ? and msp_id = ? and expires_at > ?""",
                    r -> r.getString(1), channel, mspId, context.clock().instant());
            if (holder.isEmpty()) {
                return Optional.<NodeView>empty();
            }
            return loadNodes(c, "n.node_id = ?", holder.get(), n -> n.state() == NodeState.UP).stream().findFirst();
        });
    }

    /** Every unexpired leader lease, by channel then MSP id. Any authenticated caller. */
    public List<LeaderLease> leases(Caller caller) {
        return context.db().transaction(c -> Database.query(c, """
                select channel, msp_id, holder, term, expires_at from leader_lease where expires_at > ?
                order by channel, msp_id""",
                r -> new LeaderLease(r.getString(1), r.getString(2), true, r.getString(3), r.getLong(4),
                        Database.instant(r, "expires_at")),
                context.clock().instant()));
    }

    /**
     * Acquires or renews the caller's leader lease for its organization on {@code channel}: granted when
     * nobody holds it, the caller already holds it, or the holder's lease expired. Peers registered in
     * the index only, for a channel they reported serving (CHANNEL_NOT_SERVED otherwise); atomic in SQL (one statement), so concurrent candidates on any instances get one winner.
     */
    public LeaderLease acquireLeadership(Caller caller, String channel) {
        Checks.channel(channel);
        if (caller.role() != Role.PEER) {
            throw Checks.forbidden(caller, "hold a leader lease (peers only)");
        }
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            if (Database.queryOne(c, "select 1 from node where node_id = ?", r -> 1, caller.enrollmentId()).isEmpty()) {
                throw nodeNotFound(caller.enrollmentId());
            }
            // a lease only for a channel the peer reported serving: leases stay bounded by what nodes serve
            if (Database.queryOne(c, "select 1 from node_channel where node_id = ? and channel = ?", r -> 1,
                    caller.enrollmentId(), channel).isEmpty()) {
                throw new MembershipException(ErrorCode.CHANNEL_NOT_SERVED, caller.enrollmentId()
                        + " has not reported serving " + channel + " in a registration or heartbeat: join the channel"
                        + " and ask again after the next heartbeat");
            }
            Instant expiresAt = now.plus(settings().leaseTtl());
            Optional<LeaderLease> granted = Database.queryOne(c, """
                    insert into leader_lease (channel, msp_id, holder, term, expires_at) values (?, ?, ?, 1, ?)
                    on conflict (channel, msp_id) do update set
                        term = case when leader_lease.holder = excluded.holder then leader_lease.term
                                    else leader_lease.term + 1 end,
                        holder = excluded.holder,
                        expires_at = excluded.expires_at
                    where leader_lease.holder = excluded.holder or leader_lease.expires_at <= ?
                    returning holder, term, expires_at""",
                    r -> new LeaderLease(channel, caller.mspId(), true, r.getString(1), r.getLong(2),
                            Database.instant(r, "expires_at")),
                    channel, caller.mspId(), caller.enrollmentId(), expiresAt, now);
            if (granted.isPresent()) {
                return granted.get();
            }
            return Database.queryOne(c, "select holder, term, expires_at from leader_lease where channel = ? and msp_id = ?",
                    r -> new LeaderLease(channel, caller.mspId(), false, r.getString(1), r.getLong(2),
                            Database.instant(r, "expires_at")), channel, caller.mspId()).orElseThrow();
        });
    }

    /** Releases the caller's lease if it holds it; otherwise does nothing. */
    public void releaseLeadership(Caller caller, String channel) {
        Checks.channel(channel);
        context.db().transaction(c -> Database.update(c,
                "delete from leader_lease where channel = ? and msp_id = ? and holder = ?",
                channel, caller.mspId(), caller.enrollmentId()));
    }

    /** Registered nodes whose signing or TLS certificate expires within the warning window (default 30 days). */
    public List<ExpiringCertificate> expiringCertificates(Caller caller) {
        evictStale();
        return context.db().transaction(c -> Database.query(c, """
                select n.node_id, n.msp_id, c.profile, c.serial, c.not_after
                from node n join certificate c on c.serial in (n.signing_serial, n.tls_serial)
                where c.not_after <= ? order by c.not_after, n.node_id, c.profile""",
                r -> new ExpiringCertificate(r.getString(1), r.getString(2), CertificateAuthorities.profileOf(r.getString(3)),
                        Database.bigInteger(r, "serial"), Database.instant(r, "not_after")),
                context.clock().instant().plus(settings().expiryWarning())));
    }

    /**
     * Deletes nodes whose last heartbeat is older than {@code evictAfter}, auditing each. Idempotent: any
     * instance may run it at any time; concurrent runs delete each node once.
     *
     * @return the evicted node ids
     */
    public List<String> evictStale() {
        return context.db().transaction(c -> {
            Instant now = context.clock().instant();
            List<String[]> evicted = Database.query(c,
                    "delete from node where last_heartbeat <= ? returning node_id, msp_id, last_heartbeat",
                    r -> new String[] {r.getString(1), r.getString(2), String.valueOf(Database.instant(r, "last_heartbeat"))},
                    now.minus(settings().evictAfter()));
            for (String[] node : evicted) {
                Database.update(c, "delete from leader_lease where holder = ?", node[0]);
                Audit.record(c, now, Audit.SYSTEM, null, "node.evict", node[0],
                        "no heartbeat since " + node[2] + " (evictAfter " + settings().evictAfter() + ")");
            }
            return evicted.stream().map(n -> n[0]).toList();
        });
    }

    private List<NodeView> serving(String channel, Predicate<NodeView> filter) {
        Checks.channel(channel);
        evictStale();
        return context.db().transaction(c -> loadNodes(c,
                "exists (select 1 from node_channel nc where nc.node_id = n.node_id and nc.channel = ?)", channel,
                n -> n.state() == NodeState.UP && filter.test(n)));
    }

    private record NodeRow(String id, String mspId, Role role, boolean anchor, byte[] signing, byte[] tls,
                           Instant registeredAt, Instant lastHeartbeat) {}

    private List<NodeView> loadNodes(Connection c, String condition, Object parameter, Predicate<NodeView> filter)
            throws SQLException {
        Instant now = context.clock().instant();
        Instant downBefore = now.minus(settings().downAfter());
        String sql = """
                select n.node_id, n.msp_id, n.role, n.anchor, s.der as s_der, t.der as t_der, n.registered_at, n.last_heartbeat
                from node n join certificate s on s.serial = n.signing_serial join certificate t on t.serial = n.tls_serial
                """ + (condition == null ? "" : " where " + condition) + " order by n.node_id";
        Database.RowMapper<NodeRow> mapper = r -> new NodeRow(r.getString(1), r.getString(2),
                Role.fromLabel(r.getString(3)).orElseThrow(), r.getBoolean(4), r.getBytes(5), r.getBytes(6),
                Database.instant(r, "registered_at"), Database.instant(r, "last_heartbeat"));
        List<NodeRow> rows = condition == null ? Database.query(c, sql, mapper) : Database.query(c, sql, mapper, parameter);
        List<NodeView> result = new ArrayList<>();
        for (NodeRow r : rows) {
            List<Endpoint> endpoints = Database.query(c, "select host, port from node_endpoint where node_id = ? order by position",
                    e -> new Endpoint(e.getString(1), e.getInt(2)), r.id());
            Map<String, Long> channels = new TreeMap<>();
            for (var entry : Database.query(c, "select channel, height from node_channel where node_id = ?",
                    e -> Map.entry(e.getString(1), e.getLong(2)), r.id())) {
                channels.put(entry.getKey(), entry.getValue());
            }
            NodeView view = new NodeView(r.id(), r.mspId(), r.role(), endpoints, channels, r.anchor(),
                    CertificateAuthorities.parseCertificate(r.signing()), CertificateAuthorities.parseCertificate(r.tls()),
                    r.registeredAt(), r.lastHeartbeat(), r.lastHeartbeat().isAfter(downBefore) ? NodeState.UP : NodeState.DOWN);
            if (filter.test(view)) {
                result.add(view);
            }
        }
        return result;
    }

    private IndexAnswer answer(Connection c, String nodeId) throws SQLException {
        return new IndexAnswer(nodeId, RevocationService.currentVersion(c), settings().heartbeatInterval(),
                settings().revocationPropagationBound());
    }

    private static void replaceChannels(Connection c, String nodeId, Map<String, Long> heights) throws SQLException {
        Database.update(c, "delete from node_channel where node_id = ?", nodeId);
        for (var entry : heights.entrySet()) {
            Database.update(c, "insert into node_channel (node_id, channel, height) values (?, ?, ?)",
                    nodeId, entry.getKey(), entry.getValue());
        }
    }

    /** Checks that {@code certificate} is ours, of the given profile, issued to this node, valid and not revoked. */
    private static BigInteger checkNodeCertificate(Connection c, X509Certificate certificate, CertificatePurpose profile,
                                                   String nodeId, String mspId, Role role, Instant now) throws SQLException {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw CanonicalCodec.malformed("a certificate cannot be encoded");
        }
        record Row(byte[] der, String profile, String id, String mspId, Role type, Instant notBefore, Instant notAfter,
                   Instant certRevoked, Instant identityRevoked) {}
        String what = CertificateAuthorities.profileLabel(profile) + " certificate";
        Row row = Database.queryOne(c, """
                select c.der, c.profile, i.enrollment_id, i.msp_id, i.type, c.not_before, c.not_after,
                       c.revoked_at as c_revoked, i.revoked_at as i_revoked
                from certificate c join identity i on i.enrollment_id = c.enrollment_id where c.serial = ?""",
                r -> new Row(r.getBytes(1), r.getString(2), r.getString(3), r.getString(4),
                        Role.fromLabel(r.getString(5)).orElseThrow(), Database.instant(r, "not_before"),
                        Database.instant(r, "not_after"), Database.instant(r, "c_revoked"), Database.instant(r, "i_revoked")),
                certificate.getSerialNumber())
                .filter(r -> Arrays.equals(r.der(), der))
                .orElseThrow(() -> new MembershipException(ErrorCode.CERTIFICATE_UNKNOWN,
                        "the node's " + what + " was not issued by this membership service; enroll the node first"));
        if (!row.profile().equals(CertificateAuthorities.profileLabel(profile))) {
            throw Checks.invalid("the node's " + what + " is a " + row.profile() + " certificate; swap them");
        }
        if (!row.id().equals(nodeId) || !row.mspId().equals(mspId) || row.type() != role) {
            throw new MembershipException(ErrorCode.FORBIDDEN, "the node's " + what + " belongs to " + row.type().label()
                    + " " + row.id() + " of " + row.mspId() + ", not to " + role.label() + " " + nodeId + " of " + mspId);
        }
        if (row.certRevoked() != null || row.identityRevoked() != null) {
            throw new MembershipException(ErrorCode.CERTIFICATE_REVOKED,
                    "the node's " + what + " is revoked; re-enroll (or ask an admin if the node itself is revoked)");
        }
        if (now.isBefore(row.notBefore()) || now.isAfter(row.notAfter())) {
            throw new MembershipException(ErrorCode.CERTIFICATE_EXPIRED,
                    "the node's " + what + " is not valid now (valid to " + row.notAfter() + "); re-enroll");
        }
        return certificate.getSerialNumber();
    }

    private void checkSkew(Instant sentAt, Instant now) {
        if (sentAt.isBefore(now.minus(settings().maxClockSkew())) || sentAt.isAfter(now.plus(settings().maxClockSkew()))) {
            throw Checks.invalid("the request's timestamp " + sentAt + " is more than " + settings().maxClockSkew()
                    + " away from the service's clock " + now + "; synchronize the node's clock (NTP)");
        }
    }

    private static void checkChannel(String channel, Long height) {
        Checks.channel(channel);
        if (height < 0) {
            throw Checks.invalid("ledger height of channel " + channel + " must not be negative");
        }
    }

    private static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        return VERIFIER.verify(key, data, signature);
    }

    private static MembershipException badSignature() {
        return new MembershipException(ErrorCode.BAD_SIGNATURE,
                "the index request's signature does not verify; sign the exact encoded bytes with the node's signing key");
    }

    private static MembershipException stale(String nodeId) {
        return new MembershipException(ErrorCode.STALE_REQUEST, "a request of node " + nodeId
                + " with the same or a later timestamp was already accepted; this one is a replay or out of order");
    }

    private static MembershipException nodeNotFound(String nodeId) {
        return new MembershipException(ErrorCode.NODE_NOT_FOUND,
                "node " + nodeId + " is not registered in the index (never registered, or evicted); register it again");
    }
}
