package io.charter.peer.ledger;

import java.util.Objects;

/**
 * A filter over JSON values (those stored as {@code jsonb}). Filters travel to PostgreSQL only as
 * bind parameters, never spliced into SQL text, so a filter cannot inject SQL; a malformed filter
 * fails with a {@link LedgerException} naming it.
 */
public sealed interface RichQuery {

    /**
     * Values that contain {@code jsonDocument} (PostgreSQL {@code @>}): {@code {"owner":"alice"}}
     * matches every object whose owner is alice. Served by the GIN index.
     */
    static RichQuery containing(String jsonDocument) {
        return new Containment(jsonDocument);
    }

    /**
     * Values for which the SQL/JSON path yields a match, e.g. {@code $ ? (@.size > $min)} with
     * {@code variables} {@code {"min": 5}} (a JSON object, or null for none). Without variables the
     * query is served by the GIN index ({@code @?}); with them PostgreSQL evaluates
     * {@code jsonb_path_exists} per value of the namespace.
     */
    static RichQuery jsonPath(String path, String variables) {
        return new JsonPath(path, variables);
    }

    record Containment(String jsonDocument) implements RichQuery {
        public Containment {
            Objects.requireNonNull(jsonDocument, "jsonDocument");
        }
    }

    record JsonPath(String path, String variables) implements RichQuery {
        public JsonPath {
            Objects.requireNonNull(path, "path");
        }
    }
}
