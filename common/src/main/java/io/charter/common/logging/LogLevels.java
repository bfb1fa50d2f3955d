package io.charter.common.logging;

/**
 * A process's log levels, read and changed at run time (Fabric's {@code /logspec}). One per process: the nodes of
 * the local network share their host's.
 */
public interface LogLevels {

    /** The levels in force: the root logger's and those a spec set. */
    LogSpec current();

    /**
     * Applies {@code spec}: the root logger takes its default level, the loggers it names their levels, and loggers
     * a previous spec named but this one does not go back to inheriting. Returns the spec now in force.
     */
    LogSpec apply(LogSpec spec);
}
