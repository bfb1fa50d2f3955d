package io.charter.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.logging.LogSpec.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fabric's log spec format: read, written back, and every malformed spec refused with what to change. */
class LogSpecTest {

    @Test
    void readsADefaultLevelAndLoggersGroupedByLevel() {
        LogSpec spec = LogSpec.parse(" INFO : io.charter.peer.validation, io.netty = debug:io.charter.peer.ledger=warning ");
        assertThat(spec.defaultLevel()).isEqualTo(Level.INFO);
        assertThat(spec.loggers()).containsExactly(Map.entry("io.charter.peer.validation", Level.DEBUG),
                Map.entry("io.netty", Level.DEBUG), Map.entry("io.charter.peer.ledger", Level.WARN));
        assertThat(spec).hasToString("info:io.charter.peer.validation=debug:io.netty=debug:io.charter.peer.ledger=warn");
        assertThat(LogSpec.parse("io.charter=trace:error")).isEqualTo(new LogSpec(Level.ERROR,
                Map.of("io.charter", Level.TRACE)));
    }

    @Test
    void anySpecItWritesReadsBackTheSame() {
        SplittableRandom random = new SplittableRandom(20261207);
        String[] segments = {"io", "charter", "peer", "Validation", "netty", "x_1", "$Inner", "[Tomcat]", "my-app", "1st"};
        for (int run = 0; run < 2000; run++) {
            Map<String, Level> loggers = new LinkedHashMap<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                StringBuilder name = new StringBuilder(segments[random.nextInt(segments.length)]);
                for (int depth = random.nextInt(4); depth > 0; depth--) {
                    name.append('.').append(segments[random.nextInt(segments.length)]);
                }
                loggers.put(name.toString(), Level.values()[random.nextInt(Level.values().length)]);
            }
            LogSpec spec = new LogSpec(Level.values()[random.nextInt(Level.values().length)], loggers);
            assertThat(LogSpec.parse(spec.toString())).as(spec.toString()).isEqualTo(spec);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"|the log spec is empty",
        "\"   \"|the log spec is empty",
        "verbose|'verbose' is not a level",
        "info:io.charter=loud|'loud' is not a level",
        "io.charter=debug|has no default level: start it with one, e.g. 'info:io.charter=debug'",
        "info:warn|'warn' is a second default level (the first was 'info')",
        "info:io..charter=debug|'io..charter' is not a logger name",
        "info:=debug|'' is not a logger name",
        "info:io.charter/peer=debug|'io.charter/peer' is not a logger name",
        "info:io charter=debug|'io charter' is not a logger name",
        "info:io.charter=debug:io.charter=warn|logger io.charter is named twice",
        "info::io.charter=debug|an empty part between two ':'",
        "info:io.charter=|'' is not a level",
    })
    void aMalformedSpecIsRefusedSayingWhatToChange(String text, String message) {
        assertThatThrownBy(() -> LogSpec.parse(text)).isInstanceOf(LogSpecException.class).hasMessageContaining(message);
    }

    @Test
    void sizesAreBounded() {
        assertThatThrownBy(() -> LogSpec.parse("info:" + "a".repeat(LogSpec.MAX_LENGTH)))
                .isInstanceOf(LogSpecException.class).hasMessageContaining("at most 4096 characters");
        assertThatThrownBy(() -> LogSpec.parse("info:" + "a".repeat(LogSpec.MAX_LOGGER_LENGTH + 1) + "=debug"))
                .isInstanceOf(LogSpecException.class).hasMessageContaining("is not a logger name");
        StringBuilder many = new StringBuilder("info");
        for (int i = 0; i <= LogSpec.MAX_LOGGERS; i++) {
            many.append(":l").append(i).append("=debug");
        }
        assertThatThrownBy(() -> LogSpec.parse(many.toString())).isInstanceOf(LogSpecException.class)
                .hasMessageContaining("at most 256 loggers");
        assertThat(LogSpec.parse("info:" + "a".repeat(LogSpec.MAX_LOGGER_LENGTH) + "=debug").loggers()).hasSize(1);
    }
}
