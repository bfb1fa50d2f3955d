package io.charter.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import io.charter.common.logging.LogSpec.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

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
        Gen<String> segment = arbitrary().pick(List.of("io", "charter", "peer", "Validation", "netty", "x_1", "$Inner",
                "[Tomcat]", "my-app", "1st"));
        Gen<String> logger = lists().of(segment).ofSizeBetween(1, 5).map(parts -> String.join(".", parts));
        Gen<Level> level = arbitrary().enumValues(Level.class);
        Gen<Map<String, Level>> loggers = lists().of(logger.zip(level, Map::entry)).ofSizeBetween(0, 6).map(entries -> {
            Map<String, Level> map = new LinkedHashMap<>();
            entries.forEach(entry -> map.putIfAbsent(entry.getKey(), entry.getValue()));
            return map;
        });
        qt().withExamples(2_000).forAll(level, loggers).checkAssert((defaultLevel, named) -> {
            LogSpec spec = new LogSpec(defaultLevel, named);
            assertThat(LogSpec.parse(spec.toString())).as(spec.toString()).isEqualTo(spec);
        });
    }

    @Test
    void anyTextParsesOrIsRefusedWithLogSpecExceptionAlone() {
        Gen<String> soup = lists().of(arbitrary().pick(List.of("info", "DEBUG", "warning", ":", "=", ",", " ", "io",
                ".", "charter", "x", "", "\u0000", "é"))).ofSizeBetween(0, 12).map(parts -> String.join("", parts));
        qt().withExamples(5_000).forAll(strings().allPossible().ofLengthBetween(0, 30).mix(soup)).checkAssert(text -> {
            try {
                LogSpec parsed = LogSpec.parse(text);
                assertThat(LogSpec.parse(parsed.toString())).isEqualTo(parsed);
            } catch (LogSpecException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        });
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
