package io.charter.peer.ledger;

import static io.charter.peer.testing.ChannelFixture.CONTRACT;
import static io.charter.peer.testing.ChannelFixture.ns;
import static io.charter.peer.testing.ChannelFixture.read;
import static io.charter.peer.testing.ChannelFixture.rwset;
import static io.charter.peer.testing.ChannelFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.testing.RequiresDocker;
import io.charter.peer.testing.ChannelFixture;
import io.charter.peer.testing.PeerDatabases;
import io.charter.peer.testing.TestPeer;
import io.charter.peer.validation.CommitResult;
import io.charter.protocol.Block;
import io.charter.protocol.TxValidationCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit killed between two of its statements (the database session terminated, as when the peer
 * dies) leaves the ledger at the previous block, and a restarted peer commits the block.
 */
@RequiresDocker
class CrashDuringCommitTest {

    private static PeerDatabases databases;
    private static ChannelFixture fixture;

    @BeforeAll
    static void start() {
        databases = PeerDatabases.start();
        fixture = new ChannelFixture();
    }

    @AfterAll
    static void stop() {
        databases.close();
    }

    /** Thrown by the hook, standing for the process dying. */
    static final class Crash extends RuntimeException {
        Crash(String message) {
            super(message);
        }
    }

    @ParameterizedTest
    @EnumSource(CommitHook.Step.class)
    void crashBetweenStatementsLeavesThePreviousBlockAndARestartCompletesIt(CommitHook.Step crashAfter) throws Exception {
        DataSource dataSource = databases.dataSource(databases.createDatabase());
        DataSource killer = dataSource;
        CommitHook crash = (step, number, connection) -> {
            if (step == crashAfter && number == 2) {
                terminateSession(killer, connection);
                throw new Crash("killed after " + step);
            }
        };

        TestPeer before = new TestPeer(dataSource, fixture, crash);
        Block block1 = fixture.block(before.ledger.lastHeader().orElseThrow(),
                fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "v1")).addWrites(write("j", "{\"n\":1}")))));
        assertThat(before.committer.commit(block1)).isInstanceOf(CommitResult.Committed.class);
        ChannelFixture.Tx update = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v2"))));
        ChannelFixture.Tx conflicting = fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v3"))));
        Block block2 = fixture.block(block1.getHeader(), update, conflicting);

        assertThatThrownBy(() -> before.committer.commit(block2)).isInstanceOf(Crash.class);
        before.close();

        // Restart: a new ledger instance on the same database sees exactly block 0 and 1.
        TestPeer after = new TestPeer(dataSource, fixture);
        assertThat(after.ledger.height()).isEqualTo(2);
        assertThat(after.ledger.block(2)).isEmpty();
        assertThat(after.ledger.transaction(update.txId())).isEmpty();
        assertThat(after.ledger.conflict(conflicting.txId())).isEmpty();
        VersionedValue k = after.ledger.get(CONTRACT, "k").orElseThrow();
        assertThat(new String(k.value())).isEqualTo("v1");
        assertThat(k.version()).isEqualTo(new KeyVersion(1, 0));
        assertThat(after.ledger.history(CONTRACT, "k")).hasSize(1);
        assertThat(count(dataSource, "select count(*) from tx_index")).isEqualTo(2);

        // The orderer (or a peer) delivers from the height again: block 1 is skipped, block 2 commits.
        assertThat(after.committer.commit(block1)).isEqualTo(new CommitResult.AlreadyCommitted(1));
        CommitResult result = after.committer.commit(block2);
        assertThat(result).isInstanceOfSatisfying(CommitResult.Committed.class, committed -> assertThat(committed.codes())
                .containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT));
        assertThat(after.ledger.height()).isEqualTo(3);
        assertThat(new String(after.ledger.get(CONTRACT, "k").orElseThrow().value())).isEqualTo("v2");
        assertThat(after.ledger.history(CONTRACT, "k")).hasSize(2);
        assertThat(after.ledger.conflict(conflicting.txId()).orElseThrow().committedVersion()).contains(new KeyVersion(2, 0));
        after.close();
    }

    private static void terminateSession(DataSource dataSource, Connection victim) throws SQLException {
        int pid;
        try (PreparedStatement s = victim.prepareStatement("select pg_backend_pid()"); ResultSet rows = s.executeQuery()) {
            rows.next();
            pid = rows.getInt(1);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select pg_terminate_backend(?)")) {
            s.setInt(1, pid);
            s.execute();
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
