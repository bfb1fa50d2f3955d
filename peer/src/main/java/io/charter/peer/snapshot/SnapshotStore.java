package io.charter.peer.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A peer's snapshots under {@code <dataDir>/snapshots/<channel>/<height>/}: one is written at a time (a
 * snapshot reads the whole state; a second request is refused {@code SNAPSHOT_IN_PROGRESS} rather than
 * queued), and the ones written are listed with their manifests.
 */
public final class SnapshotStore {

    /** A snapshot on disk: where, and its manifest. */
    public record StoredSnapshot(Path folder, SnapshotManifest manifest) {}

    private static final java.util.regex.Pattern CHANNEL_ID =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,248}", java.util.regex.Pattern.CASE_INSENSITIVE);

    private final Path root;
    private final SnapshotWriter writer;
    private final ReentrantLock writing = new ReentrantLock();

    public SnapshotStore(Path root, SnapshotWriter writer) {
        this.root = root;
        this.writer = writer;
    }

    /**
     * Writes a snapshot of {@code channelId} at its current height.
     *
     * @throws SnapshotException SNAPSHOT_IN_PROGRESS while another snapshot is being written; as
     *     {@link SnapshotWriter#write}
     */
    public StoredSnapshot create(String channelId) {
        Path folder = channelFolder(channelId);
        if (!writing.tryLock()) {
            throw new SnapshotException("SNAPSHOT_IN_PROGRESS", "this peer is writing another snapshot: ask again when"
                    + " it is done (GET .../snapshots lists the finished ones)");
        }
        try {
            SnapshotManifest manifest = writer.write(channelId, folder);
            return new StoredSnapshot(folder.resolve(Long.toString(manifest.height())), manifest);
        } finally {
            writing.unlock();
        }
    }

    /** The finished snapshots of {@code channelId}, lowest height first; an unreadable one is reported as SNAPSHOT_INVALID. */
    public List<StoredSnapshot> list(String channelId) {
        Path folder = channelFolder(channelId);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<StoredSnapshot> snapshots = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()))).toList()) {
                String text = Files.readString(entry.resolve(SnapshotWriter.MANIFEST), StandardCharsets.UTF_8);
                snapshots.add(new StoredSnapshot(entry, SnapshotManifest.parse(text)));
            }
        } catch (IOException e) {
            throw new SnapshotException("SNAPSHOT_FAILED", "cannot list the snapshots in " + folder + ": " + e.getMessage(), e);
        }
        return snapshots;
    }

    private Path channelFolder(String channelId) {
        // the channel id names a folder: the joined channels' rule, and nothing that leaves the root
        if (!CHANNEL_ID.matcher(channelId).matches() || channelId.contains("..")) {
            throw new IllegalArgumentException("'" + channelId + "' is not a channel id");
        }
        return root.resolve(channelId);
    }
}
