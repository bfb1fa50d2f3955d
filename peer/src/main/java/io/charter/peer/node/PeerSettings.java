package io.charter.peer.node;

import io.charter.common.transport.ReconnectBackoff;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.peer.contract.ContractRuntimeSettings;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.dissemination.DisseminationSettings;
import io.charter.peer.endorsement.EndorserSettings;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.privatedata.PrivateDataSettings;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A peer node's configuration: who it is (its TLS identity for the transport, its signing identity for
 * endorsements), where it listens, where it keeps installed contracts, the other peers of its
 * organization and the orderers (the node keeps working with these lists while the index is down), its
 * contract runtime and endorser settings, and its timings.
 *
 * @param peerId unique within the organization; the election prefers the lowest
 * @param signing the key and identity the peer endorses with (a PEER certificate of {@code mspId})
 * @param dataDir the peer's local files: installed contract jars under {@code <dataDir>/contracts}
 * @param electionTimeout a leader silent this long is replaced (default 10 s)
 * @param leaderMaxLag only peers within this many blocks of the highest alive peer of the organization
 *     may lead (default 10)
 * @param antiEntropyInterval how often a peer compares heights with its organization and pulls
 * @param deliverRetry pause before failing over to the next orderer
 * @param privateData push timeout, transient store bound and reconciliation interval of private data
 * @param dissemination how blocks reach the organization's peers: leader and relay tree (default fanout 3), or every
 *     peer pulling from the orderers
 * @param trustedRoots TLS roots the transport trusts besides the joined channels' (the consortium root), so that
 *     admins can reach a peer that has joined no channel yet; empty by default
 */
public record PeerSettings(
        String peerId,
        String mspId,
        String host,
        int port,
        TlsCredentials tls,
        SigningIdentity signing,
        Path dataDir,
        List<Endpoint> organizationPeers,
        List<Endpoint> orderers,
        ContractRuntimeSettings contracts,
        EndorserSettings endorsement,
        Duration electionTimeout,
        long leaderMaxLag,
        Duration antiEntropyInterval,
        Duration deliverRetry,
        ReconnectBackoff reconnectBackoff,
        TransportLimits limits,
        Clock clock,
        List<X509Certificate> trustedRoots,
        PrivateDataSettings privateData,
        DisseminationSettings dissemination) {

    public PeerSettings {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(contracts, "contracts");
        Objects.requireNonNull(endorsement, "endorsement");
        Objects.requireNonNull(privateData, "privateData");
        Objects.requireNonNull(dissemination, "dissemination");
        organizationPeers = organizationPeers.stream().filter(p -> !p.id().equals(peerId)).toList();
        orderers = List.copyOf(orderers);
        trustedRoots = List.copyOf(trustedRoots);
    }

    /**
     * Defaults: the default contract runtime and endorser settings, election timeout 10 s, anti-entropy
     * every 5 s, 1 s before failing over.
     */
    public static PeerSettings of(String peerId, String mspId, String host, int port, TlsCredentials tls,
                                  SigningIdentity signing, Path dataDir, List<Endpoint> organizationPeers,
                                  List<Endpoint> orderers) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers,
                ContractRuntimeSettings.DEFAULTS, EndorserSettings.DEFAULTS, Duration.ofSeconds(10), 10,
                Duration.ofSeconds(5), Duration.ofSeconds(1), ReconnectBackoff.defaults(), TransportLimits.defaults(),
                Clock.systemUTC(), List.of(), PrivateDataSettings.DEFAULTS, DisseminationSettings.DEFAULTS);
    }

    public PeerSettings withLeaderMaxLag(long blocks) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, blocks, antiEntropyInterval, deliverRetry, reconnectBackoff, limits, clock,
                trustedRoots, privateData, dissemination);
    }

    public PeerSettings withTimings(Duration electionTimeout, Duration antiEntropyInterval, Duration deliverRetry,
                                    ReconnectBackoff backoff) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, backoff, limits, clock,
                trustedRoots, privateData, dissemination);
    }

    public PeerSettings withContracts(ContractRuntimeSettings contracts) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, reconnectBackoff, limits,
                clock, trustedRoots, privateData, dissemination);
    }

    /** The same settings with other transport limits (server and clients). */
    public PeerSettings withLimits(TransportLimits transportLimits) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, reconnectBackoff,
                transportLimits, clock, trustedRoots, privateData, dissemination);
    }

    /** The same settings with other private data settings. */
    public PeerSettings withPrivateData(PrivateDataSettings settings) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, reconnectBackoff, limits,
                clock, trustedRoots, settings, dissemination);
    }

    /** The same settings with TLS roots trusted besides the joined channels' (the consortium root). */
    public PeerSettings withTrustedRoots(List<X509Certificate> roots) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, reconnectBackoff, limits,
                clock, roots, privateData, dissemination);
    }

    /** The same settings with other organization peers and orderers (as discovered through the index). */
    public PeerSettings withNeighbours(List<Endpoint> organizationPeers, List<Endpoint> orderers) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, reconnectBackoff, limits,
                clock, trustedRoots, privateData, dissemination);
    }

    /** The same settings with another way of disseminating blocks inside the organization. */
    public PeerSettings withDissemination(DisseminationSettings settings) {
        return new PeerSettings(peerId, mspId, host, port, tls, signing, dataDir, organizationPeers, orderers, contracts,
                endorsement, electionTimeout, leaderMaxLag, antiEntropyInterval, deliverRetry, reconnectBackoff, limits,
                clock, trustedRoots, privateData, settings);
    }
}
