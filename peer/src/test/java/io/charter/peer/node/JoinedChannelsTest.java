package io.charter.peer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinedChannelsTest {

    @TempDir
    Path dir;

    @Test
    void joinedChannelsSurviveARestartAndALeftChannelIsForgotten() {
        JoinedChannels joined = new JoinedChannels(dir);
        joined.add("trade");
        joined.add("audit");
        joined.remove("audit");
        joined.remove("never-joined");

        assertThat(new JoinedChannels(dir).list()).containsExactly("trade");
    }

    @Test
    void aLeftChannelIsMarkedLeftUntilItIsJoinedAgain() {
        JoinedChannels joined = new JoinedChannels(dir);
        joined.add("audit");
        assertThat(joined.hasLeft("audit")).isFalse();
        joined.remove("audit");
        assertThat(new JoinedChannels(dir).hasLeft("audit")).as("across a restart").isTrue();
        assertThat(joined.hasLeft("trade")).as("never joined: not left").isFalse();
        assertThat(joined.hasLeft("../escape")).isFalse();
        joined.add("audit");
        assertThat(joined.hasLeft("audit")).isFalse();
        assertThat(joined.list()).containsExactly("audit");
    }

    @Test
    void aChannelIdThatIsNotANameIsRefusedAndNothingIsWritten() throws Exception {
        JoinedChannels joined = new JoinedChannels(dir);
        for (String bad : new String[] {"../escape", "a/b", "", ".hidden", "x..y"}) {
            assertThatThrownBy(() -> joined.add(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a channel id");
        }
        try (var files = Files.list(dir.resolve("channels"))) {
            assertThat(files).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("escape.joined"))).isFalse();
    }
}
