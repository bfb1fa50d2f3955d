package io.charter.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.charter.common.logging.LogSpec.Level;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Log levels changed in the running process: the spec is the whole picture; loggers it names take their level,
 * every other logger (configured, or named by an earlier spec) inherits its default.
 */
class LogbackLevelsTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final LogLevels levels = LogbackLevels.ofProcess().orElseThrow();
    private LogSpec before;

    @BeforeEach
    void remember() {
        before = levels.current();
    }

    @AfterEach
    void restore() {
        levels.apply(before);
    }

    @Test
    void theLevelsInForceAreTheRootsAndThoseOfEveryLoggerConfiguredWithOne() {
        // logback-test.xml: root WARN, io.charter INFO, io.netty WARN, ...
        assertThat(before.defaultLevel()).isEqualTo(Level.WARN);
        assertThat(before.loggers()).containsEntry("io.charter", Level.INFO).containsEntry("io.netty", Level.WARN);
        assertThat(LogSpec.parse(before.toString())).isEqualTo(before);
        assertThat(levels.apply(before)).isEqualTo(before);
    }

    @Test
    void aSpecSetsTheRootAndTheNamedLoggersAndTheNextOneUndoesWhatItNoLongerNames() {
        LogSpec first = levels.apply(LogSpec.parse("warn:io.charter.test.alpha=debug:io.charter.test.beta=error"));
        assertThat(first).hasToString("warn:io.charter.test.alpha=debug:io.charter.test.beta=error");
        assertThat(LoggerFactory.getLogger("io.charter.test.alpha.Child").isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.charter.test.beta").isWarnEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.example.unconfigured").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("io.charter").getLevel()).as("configured, not named: inherits").isNull();
        assertThat(LoggerFactory.getLogger("io.charter.peer").isInfoEnabled()).isFalse();

        LogSpec second = levels.apply(LogSpec.parse("info:io.charter.test.beta=trace"));
        assertThat(second).isEqualTo(new LogSpec(Level.INFO, Map.of("io.charter.test.beta", Level.TRACE)));
        assertThat(context.getLogger("io.charter.test.alpha").getLevel()).as("alpha inherits again").isNull();
        assertThat(LoggerFactory.getLogger("io.charter.test.alpha").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("io.charter.test.alpha").isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.charter.test.beta").isTraceEnabled()).isTrue();
        assertThat(levels.current()).isEqualTo(second);
    }
}
