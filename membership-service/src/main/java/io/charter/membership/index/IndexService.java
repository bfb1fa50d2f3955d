package io.charter.membership.index;

import io.charter.membership.Caller;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index server (Corda network map, Fabric discovery): nodes register and heartbeat with requests
 * signed by their node signing identity; anyone authenticated discovers who serves a channel.
 *
 * <p>Node state is computed from timestamps at query time; nodes silent for longer than
 * {@code evictAfter} are evicted lazily (deleted and audited) by whichever instance notices first.
 */
public final class IndexService {

    IndexService() {}

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
        throw new UnsupportedOperationException();
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
        throw new UnsupportedOperationException();
    }

    /** All registered nodes with their state. Any authenticated caller. */
    public List<NodeView> nodes(Caller caller) {
        throw new UnsupportedOperationException();
    }

    /** @throws io.charter.membership.MembershipException NODE_NOT_FOUND */
    public NodeView node(Caller caller, String nodeId) {
        throw new UnsupportedOperationException();
    }

    /** Removes a node from the index (audited). Admins of its organization or consortium admins. */
    public void evict(Caller caller, String nodeId) {
        throw new UnsupportedOperationException();
    }

    /** The UP orderers that serve {@code channel}. */
    public List<NodeView> orderers(Caller caller, String channel) {
        throw new UnsupportedOperationException();
    }

    /** The UP peers that serve {@code channel}, by MSP id (sorted). */
    public Map<String, List<NodeView>> peersByOrganization(Caller caller, String channel) {
        throw new UnsupportedOperationException();
    }

    /** The UP anchor peers of {@code channel}. */
    public List<NodeView> anchorPeers(Caller caller, String channel) {
        throw new UnsupportedOperationException();
    }

    /** The peer that holds the unexpired leader lease of {@code mspId} on {@code channel}, if it is UP. */
    public Optional<NodeView> leader(Caller caller, String channel, String mspId) {
        throw new UnsupportedOperationException();
    }

    /**
     * Acquires or renews the caller's leader lease for its organization on {@code channel}: granted when
     * nobody holds it, the caller already holds it, or the holder's lease expired. Peers only; atomic in SQL.
     */
    public LeaderLease acquireLeadership(Caller caller, String channel) {
        throw new UnsupportedOperationException();
    }

    /** Releases the caller's lease if it holds it; otherwise does nothing. */
    public void releaseLeadership(Caller caller, String channel) {
        throw new UnsupportedOperationException();
    }

    /** Registered nodes whose signing or TLS certificate expires within the warning window (default 30 days). */
    public List<ExpiringCertificate> expiringCertificates(Caller caller) {
        throw new UnsupportedOperationException();
    }
}
