package io.charter.client.cli.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code charter events} resumes: kept, read back, and refused when it belongs to something else. */
class EventsCheckpointTest {

    @TempDir
    Path folder;

    @Test
    void aMissingFileStartsAtTheGivenBlock() {
        EventsCheckpoint start = EventsCheckpoint.readOrStart(folder.resolve("none.json"), "mychannel", "blocks", 7);
        assertThat(start).isEqualTo(new EventsCheckpoint("mychannel", "blocks", 7, 0));
    }

    @Test
    void aWrittenPositionIsReadBackAndWinsOverFrom() {
        Path file = folder.resolve("position.json");
        new EventsCheckpoint("mychannel", "contract:asset-transfer", 12, 3).writeTo(file);
        assertThat(EventsCheckpoint.readOrStart(file, "mychannel", "contract:asset-transfer", 0))
                .isEqualTo(new EventsCheckpoint("mychannel", "contract:asset-transfer", 12, 3));
        new EventsCheckpoint("mychannel", "contract:asset-transfer", 13, 0).writeTo(file);
        assertThat(EventsCheckpoint.readOrStart(file, "mychannel", "contract:asset-transfer", 0).nextBlock()).isEqualTo(13);
        try (var leftovers = Files.list(folder)) {
            assertThat(leftovers).as("no temporary file left beside it").containsExactly(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePositionOfAnotherStreamOrChannelIsRefusedNotRestarted() throws IOException {
        Path file = folder.resolve("position.json");
        new EventsCheckpoint("mychannel", "blocks", 5, 0).writeTo(file);
        String before = Files.readString(file);
        assertThatThrownBy(() -> EventsCheckpoint.readOrStart(file, "mychannel", "contract:asset-transfer", 0))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(e.code()).isEqualTo("BAD_CHECKPOINT");
                })
                .hasMessageContaining("is the position of the blocks of channel 'mychannel', not of the events of"
                        + " contract 'asset-transfer' of channel 'mychannel'");
        assertThatThrownBy(() -> EventsCheckpoint.readOrStart(file, "other", "blocks", 0))
                .hasMessageContaining("not of the blocks of channel 'other'");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotACheckpointIsRefused() throws IOException {
        Path notJson = folder.resolve("notes.txt");
        Files.writeString(notJson, "my shopping list");
        assertThatThrownBy(() -> EventsCheckpoint.readOrStart(notJson, "mychannel", "blocks", 0))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.code()).isEqualTo("BAD_CHECKPOINT"))
                .hasMessageContaining("is not a checkpoint of 'charter events'");
        Path negative = folder.resolve("negative.json");
        Files.writeString(negative, "{\"channel\":\"mychannel\",\"stream\":\"blocks\",\"nextBlock\":-1,\"eventsDoneInBlock\":0}");
        assertThatThrownBy(() -> EventsCheckpoint.readOrStart(negative, "mychannel", "blocks", 0))
                .hasMessageContaining("it needs channel, stream, nextBlock and eventsDoneInBlock");
        Path missingField = folder.resolve("missing.json");
        Files.writeString(missingField, "{\"channel\":\"mychannel\",\"stream\":\"blocks\"}");
        assertThatThrownBy(() -> EventsCheckpoint.readOrStart(missingField, "mychannel", "blocks", 0))
                .hasMessageContaining("it needs channel, stream, nextBlock and eventsDoneInBlock");
        Path huge = folder.resolve("huge.json");
        Files.writeString(huge, " ".repeat(5000));
        assertThatThrownBy(() -> EventsCheckpoint.readOrStart(huge, "mychannel", "blocks", 0))
                .hasMessageContaining("is larger than a checkpoint");
    }
}
