package io.charter.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/cli-reference.md is what the picocli model generates today. */
class CliReferenceTest {

    private static final Path REFERENCE = Path.of("").toAbsolutePath().getParent().getParent().resolve("docs/cli-reference.md");

    @Test
    void theCommittedReferenceIsCurrent() throws IOException {
        String generated = CliReference.markdown();
        if (Boolean.getBoolean("charter.cli-reference.write")) {
            Files.writeString(REFERENCE, generated);
        }
        assertThat(Files.exists(REFERENCE)).as(REFERENCE + " exists").isTrue();
        assertThat(Files.readString(REFERENCE))
                .as("docs/cli-reference.md is stale: regenerate it with -Dcharter.cli-reference.write=true (see its header)")
                .isEqualTo(generated);
    }

    @Test
    void theReferenceCoversEveryCommand() {
        String generated = CliReference.markdown();
        for (String command : new String[] {"up", "down", "status", "enroll", "reenroll", "register", "revoke",
                "identities", "channel", "channel list", "channel info", "channel config", "channel config fetch",
                "channel config update", "channel config sign", "channel config submit", "channel add-org", "invoke", "query", "block", "tx", "events", "nodes", "logspec", "bench", "completion"}) {
            assertThat(generated).contains("## charter " + command + "\n");
        }
    }
}
