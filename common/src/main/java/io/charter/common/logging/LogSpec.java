package io.charter.common.logging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Log levels as Fabric's {@code /logspec} writes them: a default level, then loggers with their own, separated by
 * colons: {@code info:io.charter.peer.validation,io.netty=debug:io.charter.peer.ledger=warn}. A logger is a
 * package or class name; it applies to everything below it. Levels: {@code trace}, {@code debug}, {@code info},
 * {@code warn} (or {@code warning}), {@code error}, case-insensitive.
 *
 * @param defaultLevel the level of every logger the spec does not name
 * @param loggers levels by logger, in the order given
 */
public record LogSpec(Level defaultLevel, Map<String, Level> loggers) {

    /** The levels a spec may name, most to least verbose. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    public static final int MAX_LENGTH = 4096;
    public static final int MAX_LOGGERS = 256;
    public static final int MAX_LOGGER_LENGTH = 255;
    /** Dot-separated names; brackets and hyphens too, which some frameworks' loggers use (Tomcat's, for one). */
    private static final Pattern LOGGER = Pattern.compile("[A-Za-z0-9_$\\[\\]-]+(\\.[A-Za-z0-9_$\\[\\]-]+)*");

    public LogSpec {
        loggers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loggers));
    }

    /**
     * Reads {@code text}.
     *
     * @throws LogSpecException naming what is wrong: an unknown level, a logger that is not a package or class name,
     *     no default level or two, a logger named twice, too long or too many loggers
     */
    public static LogSpec parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new LogSpecException("a log spec is at most " + MAX_LENGTH + " characters, not " + text.length());
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new LogSpecException("the log spec is empty: give a default level, e.g. 'info', and loggers after it,"
                    + " e.g. 'info:io.charter.peer.validation=debug'");
        }
        Level defaultLevel = null;
        Map<String, Level> loggers = new LinkedHashMap<>();
        for (String part : trimmed.split(":", -1)) {
            String term = part.strip();
            if (term.isEmpty()) {
                throw new LogSpecException("the log spec has an empty part between two ':': remove one");
            }
            int equals = term.indexOf('=');
            if (equals < 0) {
                if (defaultLevel != null) {
                    throw new LogSpecException("'" + term + "' is a second default level (the first was '"
                            + defaultLevel.name().toLowerCase(Locale.ROOT) + "'): name loggers as logger=level");
                }
                defaultLevel = level(term);
                continue;
            }
            Level level = level(term.substring(equals + 1).strip());
            for (String name : term.substring(0, equals).split(",", -1)) {
                String logger = name.strip();
                if (logger.length() > MAX_LOGGER_LENGTH || !LOGGER.matcher(logger).matches()) {
                    throw new LogSpecException("'" + abbreviate(logger) + "' is not a logger name: a package or class"
                            + " name such as io.charter.peer.validation");
                }
                if (loggers.put(logger, level) != null) {
                    throw new LogSpecException("logger " + logger + " is named twice");
                }
                if (loggers.size() > MAX_LOGGERS) {
                    throw new LogSpecException("a log spec names at most " + MAX_LOGGERS + " loggers");
                }
            }
        }
        if (defaultLevel == null) {
            throw new LogSpecException("the log spec has no default level: start it with one, e.g. 'info:" + trimmed + "'");
        }
        return new LogSpec(defaultLevel, loggers);
    }

    /** The spec in the form {@link #parse} reads, loggers in the order given. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(defaultLevel.name().toLowerCase(Locale.ROOT));
        loggers.forEach((logger, level) -> text.append(':').append(logger).append('=')
                .append(level.name().toLowerCase(Locale.ROOT)));
        return text.toString();
    }

    private static Level level(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        if (name.equals("WARNING")) {
            return Level.WARN;
        }
        for (Level level : Level.values()) {
            if (level.name().equals(name)) {
                return level;
            }
        }
        throw new LogSpecException("'" + abbreviate(text) + "' is not a level: one of "
                + List.of("trace", "debug", "info", "warn", "error"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
