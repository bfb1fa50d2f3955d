package io.charter.client.sdk;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.peer.node.PeerNode;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.PeerNetwork;
import io.charter.peer.testing.TestContracts;
import io.charter.protocol.Block;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The peer's {@link PeerNetwork} as the SDK's tests see it: one orderer and one peer per organization (Org1, Org2),
 * each peer with its own database in one PostgreSQL container and the sample asset-transfer contract installed.
 * The channel's Endorsement policy is AND('Org1.peer', 'Org2.peer').
 */
final class LoopbackNetwork implements AutoCloseable {

    static final String CHANNEL = ChannelFixture.CHANNEL;

    final PeerNetwork network;
    final TestPki pki;
    final Block genesis;
    final NodeEndpoint ordererEndpoint;

    LoopbackNetwork(Path dir, PeerDatabases databases) {
        network = new PeerNetwork(dir, databases, 1, 1, Duration.ofMillis(100))
                .installingAtStart(TestContracts.assetTransferJar());
        pki = network.pki;
        genesis = network.genesis;
        ordererEndpoint = new NodeEndpoint("orderer1", "OrdererOrg", "127.0.0.1", network.orderers.server(0).port());
    }

    /** Starts (or restarts, on the same port and database) the peer {@code name}, with the sample contract. */
    PeerNode start(String name) {
        return network.start(name);
    }

    /** A peer that has joined no channel and installed nothing: {@link PeerNetwork#startUnjoined}. */
    PeerNode startUnjoined(String mspId, String peerId) {
        return network.startUnjoined(mspId, peerId);
    }

    void startAll() {
        network.startPeers();
    }

    void stop(String name) {
        network.stop(name);
    }

    PeerNode node(String name) {
        return network.nodes.get(name);
    }

    /** The peers as the SDK sees them. */
    List<NodeEndpoint> peers() {
        return network.specs.values().stream()
                .map(s -> new NodeEndpoint(s.name(), s.mspId(), "127.0.0.1", s.port())).toList();
    }

    /** A client (or admin) identity of {@code mspId}, signing and TLS certificates from the test PKI. */
    Identity identity(String mspId, String name, Role role) {
        return TestNetworkPki.identity(pki, mspId, name, role);
    }

    Gateway gateway(Identity identity, Timeouts timeouts) {
        return Gateway.builder(identity).trustRoots(List.of(pki.root().certificate())).peers(peers())
                .orderers(List.of(ordererEndpoint)).timeouts(timeouts).connect();
    }

    /** Waits until every running peer has committed {@code height} blocks. */
    void awaitPeersAt(long height) {
        network.awaitPeersAt(height);
    }

    long ordererHeight() {
        return network.ordererHeight();
    }

    @Override
    public void close() {
        network.close();
    }
}
