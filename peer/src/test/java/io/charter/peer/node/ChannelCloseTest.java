package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.peer.delivery.DeliverClient;
import io.charter.peer.delivery.Endpoint;
import io.charter.peer.dissemination.AntiEntropy;
import io.charter.peer.dissemination.BlockPusher;
import io.charter.peer.dissemination.HeartbeatElection;
import io.charter.peer.ledger.CommitHook;
import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.validation.BlockCommitter;
import io.charter.peer.validation.BlockValidator;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.CommitResult;
import io.charter.peer.validation.EndorsementPolicies;
import io.charter.common.testing.RequiresDocker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Closing a channel (what a SIGTERM does through PeerNode.close) waits for the block commit in progress:
 * the block is committed whole, and nothing commits after the close.
 */
@RequiresDocker
class ChannelCloseTest {

    static PeerDatabases databases;
    static final ChannelFixture FIXTURE = new ChannelFixture();

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

    @Test
    void closingWaitsForTheCommitInProgressAndRefusesLaterOnes() throws Exception {
        DataSource dataSource = databases.dataSource(databases.createDatabase());
        CountDownLatch inCommit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CommitHook pause = (step, number, connection) -> {
            if (step == CommitHook.Step.BLOCK && number == 1) {
                inCommit.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        PostgresLedger ledger = new PostgresLedger(dataSource, ChannelFixture.CHANNEL, pause);
        BlockCommitter.commitGenesis(ledger, FIXTURE.genesis);
        ChannelContext context = ChannelContext.of(ChannelContext.configOf(FIXTURE.genesis), Clock.systemUTC());
        ContractDefinitions definitions = new ContractDefinitions(context::endorsement, ledger);
        ChannelPeer channel = new ChannelPeer("Org1", ledger, definitions,
                new BlockValidator(context, EndorsementPolicies.definedBy(definitions)),
                Clock.systemUTC());
        HeartbeatElection election = new HeartbeatElection(ChannelFixture.CHANNEL, "peer0", List.of(), Duration.ofSeconds(1),
                10, Clock.systemUTC(), channel::height);
        channel.wire(election, election,
                new BlockPusher(ChannelFixture.CHANNEL, List.of(), Duration.ofSeconds(1)),
                new AntiEntropy(channel, List.of(), Map::of, Duration.ofSeconds(1)),
                new DeliverClient(channel, List.of(new Endpoint("orderer1", "127.0.0.1", 9)), e -> {
                    throw new IllegalStateException("not used: the channel was never started");
                }, Duration.ofSeconds(1)), Map.of());

        var block = FIXTURE.block(ledger.lastHeader().orElseThrow(), FIXTURE.tx(ChannelFixture.rwset(
                ChannelFixture.ns(ChannelFixture.CONTRACT).addWrites(ChannelFixture.write("k", "v")))));
        var next = channel.prevalidate(FIXTURE.block(block.getHeader(), FIXTURE.tx(ChannelFixture.rwset(
                ChannelFixture.ns(ChannelFixture.CONTRACT).addWrites(ChannelFixture.write("k2", "v"))))));
        CompletableFuture<CommitResult> committing = CompletableFuture.supplyAsync(() -> channel.commit(channel.prevalidate(block)));
        assertThat(inCommit.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(channel::close);
        Thread.sleep(200); // time for a close that did not wait to finish; a close that waits is never done here
        assertThat(closing).as("close waits for the commit in progress").isNotDone();
        release.countDown();

        closing.get(30, TimeUnit.SECONDS);
        assertThat(committing.get(30, TimeUnit.SECONDS)).isInstanceOf(CommitResult.Committed.class);
        assertThat(ledger.height()).isEqualTo(2);
        assertThatThrownBy(() -> channel.commit(next)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(ledger.height()).isEqualTo(2);
    }
}
