package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where {@code charter events} resumes: the channel and stream it belongs to, the first block not fully shown and,
 * of that block, how many events were shown already (a run stopped by {@code --count} may stop inside a block).
 * Kept as a small JSON file, replaced atomically so that a run killed at any moment leaves the old or the new one.
 */
record EventsCheckpoint(String channel, String stream, long nextBlock, int eventsDoneInBlock) {

    static final String BLOCKS = "blocks";
    static final String CONTRACT_PREFIX = "contract:";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MAX_FILE_BYTES = 4096;

    EventsCheckpoint {
        if (nextBlock < 0 || eventsDoneInBlock < 0) {
            throw new IllegalArgumentException("a position is never negative: " + nextBlock + "/" + eventsDoneInBlock);
        }
    }

    static EventsCheckpoint start(String channel, String stream, long fromBlock) {
        return new EventsCheckpoint(channel, stream, fromBlock, 0);
    }

    EventsCheckpoint at(long block, int doneInBlock) {
        return new EventsCheckpoint(channel, stream, block, doneInBlock);
    }

    /**
     * The checkpoint in {@code file}, or a start at {@code fromBlock} when there is none yet. A file of another
     * channel or stream, or one that is not a checkpoint, is refused (exit 1) rather than silently restarted.
     */
    static EventsCheckpoint readOrStart(Path file, String channel, String stream, long fromBlock) {
        JsonNode node;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw problem(file, "is larger than a checkpoint (" + MAX_FILE_BYTES + " bytes at most)");
            }
            node = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return start(channel, stream, fromBlock);
        } catch (IOException | JacksonException e) {
            throw problem(file, "is not a checkpoint of 'charter events' (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
        if (!node.path("nextBlock").canConvertToLong() || node.path("nextBlock").asLong() < 0
                || !node.path("eventsDoneInBlock").canConvertToInt() || node.path("eventsDoneInBlock").asInt() < 0
                || !node.path("channel").isString() || !node.path("stream").isString()) {
            throw problem(file, "is not a checkpoint of 'charter events' (it needs channel, stream, nextBlock and"
                    + " eventsDoneInBlock)");
        }
        String savedChannel = node.path("channel").asString();
        String savedStream = node.path("stream").asString();
        if (!savedChannel.equals(channel) || !savedStream.equals(stream)) {
            throw problem(file, "is the position of " + describe(savedChannel, savedStream) + ", not of "
                    + describe(channel, stream) + ": give another --checkpoint file");
        }
        return new EventsCheckpoint(channel, stream, node.path("nextBlock").asLong(), node.path("eventsDoneInBlock").asInt());
    }

    void writeTo(Path file) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("channel", channel);
        view.put("stream", stream);
        view.put("nextBlock", nextBlock);
        view.put("eventsDoneInBlock", eventsDoneInBlock);
        Path target = file.toAbsolutePath();
        try {
            Path temporary = Files.createTempFile(target.getParent(), ".checkpoint-", ".tmp");
            try {
                Files.writeString(temporary, JSON.writeValueAsString(view) + "\n");
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "CANNOT_WRITE", "cannot write " + file + ": " + e.getMessage()
                    + "; check the folder exists and is writable");
        }
    }

    private static String describe(String channel, String stream) {
        return (stream.equals(BLOCKS) ? "the blocks" : "the events of contract '" + stream.substring(CONTRACT_PREFIX.length())
                + "'") + " of channel '" + channel + "'";
    }

    private static CliException problem(Path file, String problem) {
        return new CliException(ExitCodes.USAGE, "BAD_CHECKPOINT", file + " " + problem);
    }
}
