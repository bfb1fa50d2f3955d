package io.charter.peer.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a snapshot holds and the hashes that identify it: the channel, the height it was taken at (blocks
 * 0..height-1 applied), the hash of the last block's header, the sequence of the configuration in force,
 * and each file with its record count, size and SHA-256. {@link #snapshotHash()} is SHA-256 over the
 * canonical text of all of these, so two peers that hold the same ledger at the same height compute the
 * same snapshot hash, and a change to any file changes it.
 *
 * @param height the number of blocks the snapshot reflects; the next block to commit after loading it
 */
public record SnapshotManifest(String channelId, long height, String lastBlockHash, long configSequence,
                               List<SnapshotFile> files) {

    /** The format version, part of the hashed text: a change of encoding changes every hash. */
    public static final int FORMAT = 1;

    /** One file of the snapshot. */
    public record SnapshotFile(String name, long records, long bytes, String sha256) {}

    public SnapshotManifest {
        files = List.copyOf(files);
    }

    /** The canonical text the snapshot hash is computed over (one line per field, then one per file). */
    public String canonicalText() {
        StringBuilder text = new StringBuilder();
        text.append("charter-snapshot ").append(FORMAT).append('\n')
                .append("channel ").append(channelId).append('\n')
                .append("height ").append(height).append('\n')
                .append("last-block-hash ").append(lastBlockHash).append('\n')
                .append("config-sequence ").append(configSequence).append('\n');
        for (SnapshotFile file : files) {
            text.append("file ").append(file.name()).append(' ').append(file.records()).append(' ').append(file.bytes())
                    .append(' ').append(file.sha256()).append('\n');
        }
        return text.toString();
    }

    /**
     * Reads a manifest file as {@link SnapshotWriter} writes it: the canonical text, then {@code snapshot-hash <hex>}.
     *
     * @throws SnapshotException SNAPSHOT_INVALID when a line is malformed or the recorded snapshot hash is not the
     *     hash of the text above it (a changed manifest)
     */
    public static SnapshotManifest parse(String text) {
        String channel = null;
        String lastHash = null;
        String recordedHash = null;
        long height = -1;
        long sequence = -1;
        List<SnapshotFile> files = new java.util.ArrayList<>();
        try {
            for (String line : text.split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "charter-snapshot" -> {
                        if (Integer.parseInt(f[1]) != FORMAT) {
                            throw invalid("format " + f[1] + " is not " + FORMAT);
                        }
                    }
                    case "channel" -> channel = f[1];
                    case "height" -> height = Long.parseLong(f[1]);
                    case "last-block-hash" -> lastHash = f[1];
                    case "config-sequence" -> sequence = Long.parseLong(f[1]);
                    case "file" -> files.add(new SnapshotFile(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
                    case "snapshot-hash" -> recordedHash = f[1];
                    default -> throw invalid("unknown line '" + line + "'");
                }
            }
        } catch (RuntimeException e) {
            throw e instanceof SnapshotException s ? s : invalid("a line does not parse: " + e.getMessage());
        }
        if (channel == null || lastHash == null || recordedHash == null || height < 0 || sequence < 0) {
            throw invalid("a field is missing");
        }
        SnapshotManifest manifest = new SnapshotManifest(channel, height, lastHash, sequence, files);
        if (!manifest.snapshotHash().equals(recordedHash)) {
            throw invalid("the recorded snapshot hash " + recordedHash + " is not the manifest's hash " + manifest.snapshotHash());
        }
        return manifest;
    }

    private static SnapshotException invalid(String why) {
        return new SnapshotException("SNAPSHOT_INVALID", "the snapshot manifest is invalid: " + why);
    }

    /** SHA-256 (hex) of {@link #canonicalText()}: equal on every peer for the same channel and height. */
    public String snapshotHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonicalText().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
