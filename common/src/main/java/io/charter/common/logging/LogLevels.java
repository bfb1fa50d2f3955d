package io.charter.common.logging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    /**
     * What an administration request asks: the levels in force ({@code spec} empty), or {@code spec} parsed and
     * applied.
     *
     * @throws LogSpecException when {@code spec} does not parse; nothing is changed then
     */
    default LogSpec readOrApply(Optional<String> spec) {
        return spec.isEmpty() ? current() : apply(LogSpec.parse(spec.get()));
    }

    /**
     * The spec of a REST body {@code {"spec": "..."}}, read only up to {@code bodyBytes.length} bytes the caller
     * bounded.
     *
     * @throws LogSpecException when the body is too long, not JSON or has no string {@code spec}
     */
    static String specOfJsonBody(byte[] bodyBytes, int maxBytes) {
        if (bodyBytes.length > maxBytes) {
            throw new LogSpecException("the body is {\"spec\": \"...\"} of at most " + LogSpec.MAX_LENGTH + " characters");
        }
        try {
            JsonNode spec = JsonMapper.builder().build().readTree(new String(bodyBytes, StandardCharsets.UTF_8)).path("spec");
            if (!spec.isString()) {
                throw new LogSpecException("the body is {\"spec\": \"...\"}, e.g. {\"spec\": \"info:io.charter=debug\"}");
            }
            return spec.asString();
        } catch (JacksonException e) {
            throw new LogSpecException("the body is not JSON: give {\"spec\": \"...\"}");
        }
    }
}
