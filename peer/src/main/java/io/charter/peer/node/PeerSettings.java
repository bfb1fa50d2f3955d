package io.charter.peer.node;

import io.charter.common.transport.ReconnectBackoff;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.peer.delivery.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A peer node's configuration: who it is, where it listens, its TLS identity, the other peers of its
 * organization and the orderers (static lists for now; index-based discovery can feed them later, and
 * the node keeps working with them while the index is down), and its timings.
 *
 * @param peerId unique within the organization; the election prefers the lowest
 * @param electionTimeout a leader silent this long is replaced (default 10 s)
 * @param leaderMaxLag only peers within this many blocks of the highest alive peer of the organization
 *     may lead (default 10)
 * @param antiEntropyInterval how often a peer compares heights with its organization and pulls
 * @param deliverRetry pause before failing over to the next orderer
 */
public record PeerSettings(
        String peerId,
        String mspId,
        String host,
        int port,
        TlsCredentials tls,
        List<Endpoint> organizationPeers,
        List<Endpoint> orderers,
        Duration electionTimeout,
        long leaderMaxLag,
        Duration antiEntropyInterval,
        Duration deliverRetry,
        ReconnectBackoff reconnectBackoff,
        TransportLimits limits,
        Clock clock) {

    public PeerSettings {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(tls, "tls");
        organizationPeers = organizationPeers.stream().filter(p -> !p.id().equals(peerId)).toList();
        orderers = List.copyOf(orderers);
    }

    /** Defaults: election timeout 10 s, anti-entropy every 5 s, 1 s before failing over. */
    public static PeerSettings of(String peerId, String mspId, String host, int port, TlsCredentials tls,
                                  List<Endpoint> organizationPeers, List<Endpoint> orderers) {
        return new PeerSettings(peerId, mspId, host, port, tls, organizationPeers, orderers, Duration.ofSeconds(10), 10,
                Duration.ofSeconds(5), Duration.ofSeconds(1), ReconnectBackoff.defaults(), TransportLimits.defaults(),
                Clock.systemUTC());
    }

    public PeerSettings withLeaderMaxLag(long blocks) {
        return new PeerSettings(peerId, mspId, host, port, tls, organizationPeers, orderers, electionTimeout, blocks,
                antiEntropyInterval, deliverRetry, reconnectBackoff, limits, clock);
    }

    public PeerSettings withTimings(Duration electionTimeout, Duration antiEntropyInterval, Duration deliverRetry,
                                    ReconnectBackoff backoff) {
        return new PeerSettings(peerId, mspId, host, port, tls, organizationPeers, orderers, electionTimeout,
                leaderMaxLag, antiEntropyInterval, deliverRetry, backoff, limits, clock);
    }
}
