package io.charter.peer.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The versions of a channel's world state, without the values: what the MVCC check compares a transaction's
 * reads with. The {@link Ledger} is one; a test can hold the versions in memory.
 */
public interface StateVersions {

    /** Current versions of {@code keys}; a key without a value is absent from the map. */
    Map<StateKey, KeyVersion> versions(Collection<StateKey> keys);

    /**
     * The keys of {@code namespace} from {@code startKey} (inclusive) to {@code endKey} (exclusive; empty for no
     * end) with their versions, in {@link KeyOrder}, at most {@code limit} (for phantom-read checks); no values.
     */
    List<Map.Entry<String, KeyVersion>> rangeVersions(String namespace, String startKey, String endKey, int limit);

    /**
     * Current versions of private keys, by their hashes (what every peer keeps, member of the collection or not);
     * a key without a value is absent from the map.
     */
    Map<HashedKey, KeyVersion> hashedVersions(Collection<HashedKey> keys);
}
