package io.charter.contract;

import java.util.Objects;

/**
 * A rich query over the JSON values of the contract's namespace (values that are one JSON object in
 * UTF-8). The peer runs it on PostgreSQL {@code jsonb}; the filter travels as a parameter, never as SQL.
 */
public sealed interface Query {

    /**
     * Values containing {@code jsonDocument}: {@code {"owner":"alice@Org1"}} matches every object whose
     * owner is that string, {@code {"tags":["red"]}} every object whose tags array holds "red".
     */
    static Query containing(String jsonDocument) {
        return new Containing(jsonDocument);
    }

    /**
     * Values for which an SQL/JSON path finds a match, e.g. {@code $ ? (@.size > $min)} with
     * {@code variablesJson} {@code {"min": 5}}; pass null for no variables.
     */
    static Query jsonPath(String path, String variablesJson) {
        return new JsonPath(path, variablesJson);
    }

    record Containing(String jsonDocument) implements Query {
        public Containing {
            Objects.requireNonNull(jsonDocument, "jsonDocument");
        }
    }

    record JsonPath(String path, String variablesJson) implements Query {
        public JsonPath {
            Objects.requireNonNull(path, "path");
        }
    }
}
