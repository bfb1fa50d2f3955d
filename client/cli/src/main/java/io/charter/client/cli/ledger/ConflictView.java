package io.charter.client.cli.ledger;

import io.charter.client.cli.Output;
import io.charter.client.sdk.ReadConflict;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the commands show why a transaction failed MVCC (or phantom read) validation, wherever they show its code:
 * the key, the version the endorsers read and the one committed when the peer validated it.
 */
final class ConflictView {

    private ConflictView() {}

    static Map<String, Object> json(ReadConflict conflict) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("namespace", conflict.namespace());
        view.put("key", conflict.key());
        view.put("readVersion", conflict.readVersion().map(ReadConflict.KeyVersion::toString).orElse("absent"));
        view.put("committedVersion", conflict.committedVersion().map(ReadConflict.KeyVersion::toString).orElse("absent"));
        view.put("phantom", conflict.phantom());
        view.put("explanation", text(conflict));
        return view;
    }

    /** One sentence, e.g. "key asset-transfer/hot was read at version 4:0 but was at 5:2 when validated". */
    static String text(ReadConflict conflict) {
        if (conflict.phantom()) {
            return "a range read over " + Output.printable(conflict.namespace() + "/" + conflict.key())
                    + " gave other keys when validated"
                    + " than when endorsed: submit the transaction again";
        }
        String read = conflict.readVersion().map(v -> "read at version " + v).orElse("read as absent");
        String committed = conflict.committedVersion().map(v -> "was at " + v).orElse("no longer existed");
        return "key " + Output.printable(conflict.namespace() + "/" + conflict.key()) + " was "
                + read + " but " + committed + " when validated: submit the transaction again";
    }
}
