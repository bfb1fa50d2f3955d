package io.charter.peer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.node.PeerNode;
import io.charter.peer.node.PeerSettings;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joining, leaving and rejoining at restart, as the shell does it, on a real ledger. */
@RequiresDocker
class PeerChannelsTest {

    static PeerDatabases databases;
    static final ChannelFixture FIXTURE = new ChannelFixture();

    @TempDir
    Path dataDir;

    @BeforeAll
    static void start() {
        databases = PeerDatabases.start();
    }

    @AfterAll
    static void stop() {
        if (databases != null) {
            databases.close();
        }
    }

    private PeerNode node() {
        return node(List.of(new io.charter.peer.delivery.Endpoint("orderer1", "127.0.0.1", 9)));
    }

    private PeerNode node(List<io.charter.peer.delivery.Endpoint> orderers) {
        TestPki.Credential tls = FIXTURE.pki.organization("Org1").enrollTls("peer0", Role.PEER);
        TestPki.Credential signing = FIXTURE.pki.organization("Org1").enroll("peer0", Role.PEER);
        return new PeerNode(PeerSettings.of("peer0", "Org1", "127.0.0.1", 0,
                new TlsCredentials(tls.keys().getPrivate(), tls.chain()),
                new SigningIdentity(EcdsaSigner.of(signing.keys()), ChannelFixture.identity(signing)), dataDir, List.of(),
                orderers));
    }

    @Test
    void aRestartedPeerRejoinsItsChannelsAtTheirHeightButNotOneItLeft() {
        DataSource dataSource = databases.dataSource(databases.createDatabase());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (PeerNode first = node()) {
            PeerChannels channels = new PeerChannels(first, dataSource, dataDir, Optional.empty(), new PeerMetrics(registry, first));
            channels.join(FIXTURE.genesis);
            assertThatThrownBy(() -> channels.join(FIXTURE.genesis)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already joined");
            assertThat(registry.find("charter.peer.ledger.height").tag("channel", ChannelFixture.CHANNEL).gauge().value()).isEqualTo(1);
        }

        try (PeerNode restarted = node()) {
            PeerChannels channels = new PeerChannels(restarted, dataSource, dataDir, Optional.empty(),
                    new PeerMetrics(new SimpleMeterRegistry(), restarted));
            channels.restore();
            assertThat(restarted.channel(ChannelFixture.CHANNEL)).hasValueSatisfying(c -> assertThat(c.height()).isEqualTo(1));
            assertThat(channels.leave(ChannelFixture.CHANNEL)).isTrue();
            assertThat(channels.leave(ChannelFixture.CHANNEL)).isFalse();
        }

        try (PeerNode again = node()) {
            new PeerChannels(again, dataSource, dataDir, Optional.empty(), new PeerMetrics(new SimpleMeterRegistry(), again))
                    .restore();
            assertThat(again.channels()).isEmpty();
        }
    }

    @Test
    void aChannelWithoutAnyKnownOrdererIsNotJoinedAndNothingIsRecorded() {
        DataSource dataSource = databases.dataSource(databases.createDatabase());
        try (PeerNode node = node(List.of())) {
            PeerChannels channels = new PeerChannels(node, dataSource, dataDir, Optional.empty(),
                    new PeerMetrics(new SimpleMeterRegistry(), node));
            assertThatThrownBy(() -> channels.join(FIXTURE.genesis)).isInstanceOf(PeerChannels.NoOrderersException.class)
                    .hasMessageContaining("configure charter.peer.orderers");
            assertThat(node.channels()).isEmpty();
            assertThat(new io.charter.peer.node.JoinedChannels(dataDir).list()).isEmpty();
            assertThat(io.charter.peer.ledger.PostgresLedger.channels(dataSource)).isEmpty();
        }
    }
}
