package io.charter.peer.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which channels this peer has joined, kept as one empty file per channel under
 * {@code <dataDir>/channels/}: a restart rejoins exactly these (their ledgers, genesis included, are in
 * the database), and a channel the peer left stays left although its ledger remains. A channel left is
 * marked ({@code <channel>.left}) until it is joined again, so that a host that joins channels of its own
 * at start (the local network's) can tell one its admin left.
 */
public final class JoinedChannels {

    /** Channel ids as the orderer and the membership service accept them; never a path. */
    private static final Pattern CHANNEL_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,248}", Pattern.CASE_INSENSITIVE);

    private final Path directory;

    public JoinedChannels(Path dataDir) {
        this.directory = dataDir.resolve("channels");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    public static boolean isValidChannelId(String channelId) {
        return CHANNEL_ID.matcher(channelId).matches() && !channelId.contains("..");
    }

    public void add(String channelId) {
        try {
            Files.write(file(channelId), new byte[0]);
            Files.deleteIfExists(leftMarker(channelId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the join of " + channelId + " in " + directory, e);
        }
    }

    /** Records that the peer left the channel: it is no longer listed, and {@link #hasLeft} until joined again. */
    public void remove(String channelId) {
        try {
            Files.write(leftMarker(channelId), new byte[0]);
            Files.deleteIfExists(file(channelId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record leaving " + channelId + " in " + directory, e);
        }
    }

    /** Whether the peer left the channel (at an admin's request) and has not joined it again since. */
    public boolean hasLeft(String channelId) {
        return isValidChannelId(channelId) && Files.exists(leftMarker(channelId));
    }

    private Path leftMarker(String channelId) {
        file(channelId);
        return directory.resolve(channelId + ".left");
    }

    /** The joined channel ids, sorted. */
    public List<String> list() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".joined"))
                    .map(n -> n.substring(0, n.length() - ".joined".length())).filter(JoinedChannels::isValidChannelId)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private Path file(String channelId) {
        if (!isValidChannelId(channelId)) {
            throw new IllegalArgumentException("'" + channelId + "' is not a channel id");
        }
        return directory.resolve(channelId + ".joined");
    }
}
