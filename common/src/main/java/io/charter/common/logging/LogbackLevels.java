package io.charter.common.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * {@link LogLevels} over Logback, the logging backend of every Charter process (the Spring Boot shells and the
 * CLI's network host). The levels in force are the root logger's and every logger that has one of its own.
 */
public final class LogbackLevels implements LogLevels {

    private static LogbackLevels process; // guarded by the class

    private final LoggerContext context;

    private LogbackLevels(LoggerContext context) {
        this.context = context;
    }

    /** The process's levels; empty when its SLF4J backend is not Logback (then nothing can be changed). */
    public static synchronized Optional<LogLevels> ofProcess() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        // by name first: Logback is optional, and where it is absent its classes must not be touched
        if (!factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return Optional.empty();
        }
        // one per process: the local network's nodes share their host's levels
        if (process == null || process.context != factory) {
            process = new LogbackLevels((LoggerContext) factory);
        }
        return Optional.of(process);
    }

    @Override
    public synchronized LogSpec current() {
        Map<String, LogSpec.Level> loggers = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null && !logger.getName().equals(Logger.ROOT_LOGGER_NAME)) {
                loggers.put(logger.getName(), level(logger.getLevel()));
            }
        }
        return new LogSpec(level(context.getLogger(Logger.ROOT_LOGGER_NAME).getEffectiveLevel()), loggers);
    }

    /**
     * The spec replaces the whole picture, as Fabric's does: loggers with a level of their own (from the logging
     * configuration or an earlier spec) that it does not name go back to inheriting its default level.
     */
    @Override
    public synchronized LogSpec apply(LogSpec spec) {
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null && !logger.getName().equals(Logger.ROOT_LOGGER_NAME)
                    && !spec.loggers().containsKey(logger.getName())) {
                logger.setLevel(null);
            }
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(logback(spec.defaultLevel()));
        spec.loggers().forEach((name, level) -> context.getLogger(name).setLevel(logback(level)));
        return current();
    }

    private static ch.qos.logback.classic.Level logback(LogSpec.Level level) {
        return switch (level) {
            case TRACE -> ch.qos.logback.classic.Level.TRACE;
            case DEBUG -> ch.qos.logback.classic.Level.DEBUG;
            case INFO -> ch.qos.logback.classic.Level.INFO;
            case WARN -> ch.qos.logback.classic.Level.WARN;
            case ERROR -> ch.qos.logback.classic.Level.ERROR;
        };
    }

    private static LogSpec.Level level(ch.qos.logback.classic.Level level) {
        return switch (level.toInt()) {
            case ch.qos.logback.classic.Level.TRACE_INT, ch.qos.logback.classic.Level.ALL_INT -> LogSpec.Level.TRACE;
            case ch.qos.logback.classic.Level.DEBUG_INT -> LogSpec.Level.DEBUG;
            case ch.qos.logback.classic.Level.INFO_INT -> LogSpec.Level.INFO;
            case ch.qos.logback.classic.Level.WARN_INT -> LogSpec.Level.WARN;
            default -> LogSpec.Level.ERROR; // ERROR and OFF
        };
    }
}
