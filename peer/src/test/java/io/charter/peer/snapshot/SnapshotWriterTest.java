package io.charter.peer.snapshot;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots written by two peers that committed the same blocks, each on its own database, are byte for byte
 * the same; a snapshot reflects its height only; a failed or repeated snapshot leaves nothing; a changed manifest
 * is refused.
 */
@RequiresDocker
class SnapshotWriterTest {

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

    @Test
    void twoPeersAtTheSameHeightWriteTheSameSnapshotByteForByte(@TempDir Path first, @TempDir Path second)
            throws Exception {
        List<Block> blocks = blocks();
        Peer one = peerWith(blocks);
        Peer other = peerWith(blocks);

        SnapshotStore.StoredSnapshot a = new SnapshotStore(first, new SnapshotWriter(one.dataSource())).create(ChannelFixture.CHANNEL);
        SnapshotStore.StoredSnapshot b = new SnapshotStore(second, new SnapshotWriter(other.dataSource())).create(ChannelFixture.CHANNEL);

        assertThat(a.manifest().height()).isEqualTo(blocks.size() + 1L);
        assertThat(a.manifest().snapshotHash()).isEqualTo(b.manifest().snapshotHash());
        assertThat(a.manifest().files()).extracting(SnapshotManifest.SnapshotFile::name).containsExactly(
                SnapshotWriter.PUBLIC_STATE, SnapshotWriter.PRIVATE_HASHES, SnapshotWriter.TRANSACTION_IDS, SnapshotWriter.CONFIG);
        for (SnapshotManifest.SnapshotFile file : a.manifest().files()) {
            assertThat(Files.readAllBytes(a.folder().resolve(file.name())))
                    .as(file.name()).isEqualTo(Files.readAllBytes(b.folder().resolve(file.name())));
        }
        // k, j and the updated k: two keys; one transaction id per block (the genesis one included)
        assertThat(a.manifest().files().get(0).records()).isEqualTo(2);
        assertThat(a.manifest().files().get(2).records()).isEqualTo(blocks.size() + 1L);
        assertThat(a.manifest().lastBlockHash()).isEqualTo(java.util.HexFormat.of().formatHex(
                io.charter.common.protocol.BlockHashing.headerHash(blocks.getLast().getHeader()).toByteArray()));
        one.close();
        other.close();
    }

    @Test
    void aSnapshotChangesWithTheStateAndTheListShowsEachHeightOnce(@TempDir Path folder) throws Exception {
        List<Block> blocks = blocks();
        Peer peer = peerWith(blocks.subList(0, 1));
        SnapshotStore store = new SnapshotStore(folder, new SnapshotWriter(peer.dataSource()));

        SnapshotStore.StoredSnapshot before = store.create(ChannelFixture.CHANNEL);
        assertThatThrownBy(() -> store.create(ChannelFixture.CHANNEL)).isInstanceOf(SnapshotException.class)
                .extracting(e -> ((SnapshotException) e).code()).isEqualTo("SNAPSHOT_EXISTS");
        assertThat(peer.peer().committer.commit(blocks.get(1))).isInstanceOf(CommitResult.Committed.class);
        SnapshotStore.StoredSnapshot after = store.create(ChannelFixture.CHANNEL);

        assertThat(after.manifest().height()).isEqualTo(before.manifest().height() + 1);
        assertThat(after.manifest().snapshotHash()).isNotEqualTo(before.manifest().snapshotHash());
        assertThat(store.list(ChannelFixture.CHANNEL)).extracting(s -> s.manifest().height())
                .containsExactly(before.manifest().height(), after.manifest().height());
        try (Stream<Path> left = Files.list(folder.resolve(ChannelFixture.CHANNEL))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no unfinished snapshot left")
                    .containsExactlyInAnyOrder(Long.toString(before.manifest().height()), Long.toString(after.manifest().height()));
        }
        peer.close();
    }

    @Test
    void aChangedManifestIsRefused(@TempDir Path folder) throws Exception {
        Peer peer = peerWith(blocks());
        SnapshotStore.StoredSnapshot snapshot = new SnapshotStore(folder, new SnapshotWriter(peer.dataSource()))
                .create(ChannelFixture.CHANNEL);
        String text = Files.readString(snapshot.folder().resolve(SnapshotWriter.MANIFEST), StandardCharsets.UTF_8);
        assertThat(SnapshotManifest.parse(text)).isEqualTo(snapshot.manifest());

        String changedHeight = text.replace("height " + snapshot.manifest().height(), "height 1");
        assertThatThrownBy(() -> SnapshotManifest.parse(changedHeight)).isInstanceOf(SnapshotException.class)
                .extracting(e -> ((SnapshotException) e).code()).isEqualTo("SNAPSHOT_INVALID");
        String garbage = text + "surprise 1\n";
        assertThatThrownBy(() -> SnapshotManifest.parse(garbage)).isInstanceOf(SnapshotException.class)
                .extracting(e -> ((SnapshotException) e).code()).isEqualTo("SNAPSHOT_INVALID");
        peer.close();
    }

    @Test
    void anUnknownChannelIsEmptyAndAPathIsNotAChannel(@TempDir Path folder) throws Exception {
        Peer peer = peerWith(blocks());
        SnapshotStore store = new SnapshotStore(folder, new SnapshotWriter(peer.dataSource()));
        assertThatThrownBy(() -> store.create("other")).isInstanceOf(SnapshotException.class)
                .extracting(e -> ((SnapshotException) e).code()).isEqualTo("CHANNEL_EMPTY");
        assertThatThrownBy(() -> store.create("../escape")).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left.flatMap(p -> {
                try {
                    return Files.list(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).as("nothing written").isEmpty();
        }
        peer.close();
    }

    /** Two blocks after genesis: k and j written, then k updated. */
    private static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        Block genesis = fixture.genesis;
        Block first = fixture.block(genesis.getHeader(),
                fixture.tx(rwset(ns(CONTRACT).addWrites(write("k", "v1")).addWrites(write("j", "{\"n\":1}")))));
        blocks.add(first);
        blocks.add(fixture.block(first.getHeader(),
                fixture.tx(rwset(ns(CONTRACT).addReads(read("k", 1, 0)).addWrites(write("k", "v2"))))));
        return blocks;
    }

    /** A peer's ledger and committer on a database of its own, with its data source. */
    private record Peer(TestPeer peer, javax.sql.DataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            peer.close();
        }
    }

    private static Peer peerWith(List<Block> blocks) {
        javax.sql.DataSource dataSource = databases.dataSource(databases.createDatabase());
        TestPeer peer = new TestPeer(dataSource, fixture);
        for (Block block : blocks) {
            assertThat(peer.committer.commit(block)).isInstanceOf(CommitResult.Committed.class);
        }
        return new Peer(peer, dataSource);
    }
}
