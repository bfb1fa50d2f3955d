package io.charter.peer.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.membership.MembershipClient;
import io.charter.common.pki.Pem;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.protocol.Blocks;
import io.charter.common.testing.Await;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.peer.node.PeerNode;
import io.charter.peer.testing.ChannelFixture;
import io.charter.shell.testing.NodeShellFixture;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot peer with {@code charter.peer.membership.url} set, no certificate files and no
 * configured neighbours, against a fake HTTPS membership service: it enrolls its signing and TLS
 * certificates (role PEER), stores them, registers in the index as role {@code peer} with its transport
 * endpoint, heartbeats with its channels, discovers a joined channel's orderers and its organization's
 * other peers, and refreshes the joined channel's CRLs when the CRL version rises.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(classes = PeerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerBootstrapApplicationTest {

    static final ChannelFixture FIXTURE = new ChannelFixture();
    static final TestPki PKI = FIXTURE.pki;
    static final NodeShellFixture SHELL = NodeShellFixture.of(PeerProperties.PREFIX, PKI);
    /** Whether the index lists a second orderer and a third Org1 peer (they joined after the channel). */
    static volatile boolean GROWN;
    /** The channel height orderer1 reports to the fake index. */
    static volatile long ORDERER_HEIGHT = 1;
    static final FakeMembershipService MEMBERSHIP = startMembership();
    static final LedgerContainer LEDGER = new LedgerContainer();
    static final int TRANSPORT_PORT = FreePorts.loopback();

    @Autowired
    PeerNode node;

    @Autowired
    PeerChannels channels;

    @Autowired
    org.springframework.boot.health.contributor.HealthIndicator peerHealthIndicator;

    @Autowired
    com.zaxxer.hikari.HikariDataSource ledgerDataSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        LEDGER.register(registry);
        SHELL.registerNode(registry, TRANSPORT_PORT);
        SHELL.registerMembership(registry, MEMBERSHIP, "peer0", "s3cret");
        registry.add("charter.peer.membership.advertised-host", () -> "peer0.org1");
        registry.add("charter.peer.discovery.refresh-interval", () -> "200ms");
    }

    @AfterAll
    void stop() {
        LEDGER.stopAfter(node, ledgerDataSource);
        MEMBERSHIP.close();
    }

    @Test
    void enrollsRegistersAsAPeerDiscoversItsNeighboursAndRefreshesCrls() throws Exception {
        assertThat(MEMBERSHIP.enrolledProfiles()).containsExactly("signing", "tls");
        Path msp = SHELL.files().resolve("data/msp");
        X509Certificate signing = Pem.decodeCertificates(Files.readString(msp.resolve("signing-cert.pem"))).getFirst();
        assertThat(SubjectName.from(signing).orElseThrow()).isEqualTo(SubjectName.of("peer0", "Org1", Role.PEER));
        assertThat(msp.resolve("tls-key.pem")).exists();
        assertThat(node.settings().peerId()).isEqualTo("peer0");

        // registered as role "peer" with the advertised transport endpoint (NodeRequests' canonical encoding)
        assertThat(MEMBERSHIP.registrations()).hasSize(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeBytes("CNR1");
        for (String s : List.of("peer0", "Org1", "peer")) {
            out.writeShort(s.length());
            out.writeBytes(s);
        }
        out.writeInt(1);
        out.writeShort("peer0.org1".length());
        out.writeBytes("peer0.org1");
        assertThat(MEMBERSHIP.registrations().getFirst()).startsWith(expected.toByteArray());

        // a join without configured neighbours asks the index, and remembers the answer: its organization's other
        // peers (not itself), the orderers, and the other organizations' peers (for private data)
        channels.join(Blocks.genesisBlock(FIXTURE.configWithTls(), Instant.now()));
        assertThat(Files.readString(SHELL.files().resolve("data/discovery/trade.txt")))
                .contains("peer peer1 peer1.org1 7060").contains("orderer orderer1 127.0.0.1 9")
                .contains("member Org2 peer0 peer0.org2 7060").doesNotContain("peer0.org1");

        // the periodic refresh picks up an orderer and a peer that appeared in the index after the join
        io.charter.peer.node.ChannelPeer trade = node.channel("trade").orElseThrow();
        GROWN = true;
        Await.until("the new orderer and peer", () -> trade.neighbours().orderers().size() == 2
                && trade.neighbours().organizationPeers().size() == 2);
        assertThat(trade.neighbours().orderers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("orderer1", "orderer2");
        assertThat(trade.neighbours().organizationPeers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("peer1", "peer2");
        assertThat(trade.election().peers()).extracting(io.charter.peer.dissemination.OrgPeer::id)
                .containsExactly("peer1", "peer2");
        Await.until("the grown answer remembered", () -> read(SHELL.files().resolve("data/discovery/trade.txt")).contains("orderer2"));

        // while the index answers errors, the refresh keeps the last known lists
        MEMBERSHIP.unavailable(true);
        int calls = MEMBERSHIP.discoveryCalls();
        Await.until("refreshes against the failing index", () -> MEMBERSHIP.discoveryCalls() >= calls + 3);
        assertThat(trade.neighbours().orderers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("orderer1", "orderer2");
        assertThat(trade.neighbours().organizationPeers()).extracting(io.charter.peer.delivery.Endpoint::id)
                .containsExactly("peer1", "peer2");
        assertThat(read(SHELL.files().resolve("data/discovery/trade.txt"))).contains("orderer2").contains("peer2");

        // back up without peer2: it is dropped
        GROWN = false;
        MEMBERSHIP.unavailable(false);
        Await.until("peer2 dropped", () -> trade.neighbours().organizationPeers().size() == 1);
        assertThat(trade.election().peers()).extracting(io.charter.peer.dissemination.OrgPeer::id).containsExactly("peer1");

        // readiness compares the channel's height with the orderers' height the index reports
        Await.until("ready at the orderers' height", () -> tradeHealth().get("ready").equals(true));
        assertThat(tradeHealth()).containsEntry("lagFrom", "orderers").containsEntry("ordererHeight", 1L).containsEntry("lag", 0L);
        ORDERER_HEIGHT = 100;
        Await.until("not ready 99 blocks behind the orderers", () -> tradeHealth().get("lag").equals(99L));
        assertThat(tradeHealth()).containsEntry("ready", false).containsEntry("lagFrom", "orderers");
        assertThat(peerHealthIndicator.health(true).getStatus().getCode()).isEqualTo("DOWN");
        ORDERER_HEIGHT = 1;

        // heartbeats carry on; a rising CRL version fetches the joined channel's organizations' CRLs
        Await.until("heartbeats and CRL refreshes", () -> MEMBERSHIP.heartbeats() >= 2
                && MEMBERSHIP.crlsServed().contains("Org1/tls") && MEMBERSHIP.crlsServed().contains("Org2/signing"));
    }

    /**
     * The index: orderer1 and Org1's peer0 and peer1 on the channel, and once {@link #GROWN} orderer2 and Org1's peer2;
     * the CRL version rises with every heartbeat.
     */
    private static FakeMembershipService startMembership() {
        FakeMembershipService membership = FakeMembershipService.start(PKI, "Org2")
                .enrollee("peer0", "s3cret", "Org1", Role.PEER);
        return membership.crlVersion(membership::heartbeats).discovery("trade", () -> {
            List<MembershipClient.Node> orderers = new ArrayList<>(List.of(node("orderer1", "OrdererOrg", "orderer",
                    "127.0.0.1", 9, ORDERER_HEIGHT)));
            if (GROWN) {
                orderers.add(node("orderer2", "OrdererOrg", "orderer", "127.0.0.1", 10, 1));
            }
            return orderers;
        }, () -> {
            List<MembershipClient.Node> peers = new ArrayList<>(List.of(node("peer0", "Org1", "peer", "peer0.org1", 7060, 1),
                    node("peer1", "Org1", "peer", "peer1.org1", 7060, 1)));
            if (GROWN) {
                peers.add(node("peer2", "Org1", "peer", "peer2.org1", 7060, 1));
            }
            peers.add(node("peer0", "Org2", "peer", "peer0.org2", 7060, 1));
            return peers;
        });
    }

    private static MembershipClient.Node node(String id, String mspId, String role, String host, int port, long height) {
        X509Certificate certificate = PKI.root().certificate();
        return FakeMembershipService.node(id, mspId, role, host, port, "trade", height, certificate, certificate);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tradeHealth() {
        Map<String, Object> channels = (Map<String, Object>) peerHealthIndicator.health(true).getDetails().get("channels");
        return (Map<String, Object>) channels.get("trade");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
