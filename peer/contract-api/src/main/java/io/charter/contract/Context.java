package io.charter.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a transaction function sees: the state of its own contract's namespace, the transaction and the
 * caller. The peer simulates the function: reads are recorded with the version they saw, writes are
 * collected, nothing is committed until the ordered transaction is validated.
 *
 * <p><b>Namespace.</b> Every key is a key of the contract's own namespace; no method takes a
 * namespace, so a contract cannot read or write another contract's state. Keys are non-empty strings
 * of at most {@value #MAX_KEY_LENGTH} characters without U+0000.
 *
 * <p><b>Read your own writes.</b> {@link #get} sees the function's own earlier puts and deletes. Range
 * and rich queries and {@link #history} see the committed state only.
 *
 * <p><b>Consistency at commit.</b> A value read by {@link #get} or returned by a query must still have
 * the version it had when simulated, and a range read must still see the same keys (no key added or
 * removed), else the transaction is invalidated at commit (MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT).
 * Rich queries are not re-run at commit: a value they return is checked, a value they would now add is
 * not. Do not base writes on a rich query's completeness.
 *
 * <p>Misuse throws a {@link ContractException} with codes {@code INVALID_KEY}, {@code INVALID_VALUE},
 * {@code INVALID_PAGE_SIZE}, {@code INVALID_QUERY}, {@code INVALID_BOOKMARK}, {@code EVALUATE_WRITES}
 * (a write from an {@link Transaction.Intent#EVALUATE} function) and {@code CONTEXT_CLOSED} (a call
 * after the invocation timed out); private data adds {@code UNKNOWN_COLLECTION}, {@code PRIVATE_DATA_UNAVAILABLE},
 * {@code PRIVATE_READ_DENIED} and {@code PRIVATE_WRITE_DENIED}. A Context must not be shared with other threads.
 */
public interface Context {

    int MAX_KEY_LENGTH = 1024;
    /** The largest page a range or rich query returns. */
    int MAX_PAGE_SIZE = 1000;

    // ---- the transaction ----

    String channelId();

    /** The transaction id: lower-case hex SHA-256 of the proposal's nonce and creator. */
    String txId();

    /** When the client created the proposal (from its signed header: the same on every endorser). */
    Instant timestamp();

    /** The function invoked. */
    String function();

    /** Who signed the proposal. */
    ClientIdentity caller();

    /**
     * Private inputs sent beside the proposal (Proposal.transient_map): not part of the transaction
     * that is ordered and committed. Don't write them to the state as they are.
     */
    Map<String, byte[]> transientData();

    // ---- state of this contract ----

    /** The key's value, empty when the key does not exist. */
    Optional<byte[]> get(String key);

    /** The key's value decoded as UTF-8. */
    default Optional<String> getString(String key) {
        return get(key).map(value -> new String(value, StandardCharsets.UTF_8));
    }

    /** Sets the key's value (a non-null array; an empty one is a value, not a delete). */
    void put(String key, byte[] value);

    /** Sets the key's value to {@code value} in UTF-8: JSON objects become queryable with {@link #query}. */
    default void putString(String key, String value) {
        put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the key; removing an absent key is allowed. */
    void delete(String key);

    default boolean exists(String key) {
        return get(key).isPresent();
    }

    /**
     * Keys from {@code startKey} (inclusive) to {@code endKey} (exclusive; empty for no end), in
     * bytewise UTF-8 order, at most {@code pageSize} (1 to {@value #MAX_PAGE_SIZE}).
     *
     * @param bookmark null or empty for the first page, else the previous page's bookmark
     */
    Page range(String startKey, String endKey, int pageSize, String bookmark);

    /** The composite keys that start with {@code partialKey}'s object type and attributes. */
    default Page rangeByPartialKey(CompositeKey partialKey, int pageSize, String bookmark) {
        String prefix = partialKey.toKey();
        return range(prefix, prefix + CompositeKey.MAX, pageSize, bookmark);
    }

    /** JSON values matching {@code query}, in key order, paginated like {@link #range}. */
    Page query(Query query, int pageSize, String bookmark);

    /** Every committed write of the key, oldest first. Not checked at commit. */
    List<KeyModification> history(String key);

    // ---- private data (collections of this contract, docs/private-data.md) ----

    /**
     * The value of {@code key} in the private data collection {@code collection} of this contract, empty when the
     * key does not exist. Only peers of the collection's member organizations hold values: on any other peer this
     * throws {@code PRIVATE_DATA_UNAVAILABLE}. The read is recorded as hashes (the key's hash and the version read),
     * never in clear. Sees this invocation's own private writes first.
     *
     * @throws ContractException {@code UNKNOWN_COLLECTION} for a collection the contract's definition does not
     *     declare (implicit collections {@code _implicit_org_<mspId>} always exist), {@code PRIVATE_READ_DENIED} when
     *     the collection is {@code memberOnlyRead} and the caller's organization is not a member
     */
    Optional<byte[]> getPrivate(String collection, String key);

    default Optional<String> getPrivateString(String collection, String key) {
        return getPrivate(collection, key).map(value -> new String(value, StandardCharsets.UTF_8));
    }

    /**
     * The SHA-256 of the committed value of {@code key} in {@code collection}, empty when the key does not exist.
     * Every peer of the channel can answer it (non-members keep the hashes), so a contract can check a value that
     * a client presents against what the members committed. Recorded as a hashed read.
     */
    Optional<byte[]> getPrivateHash(String collection, String key);

    /**
     * Writes {@code key} of {@code collection}: the transaction carries only the hashes; the value goes to the
     * peers of the member organizations. Take private values from {@link #transientData()}, never from the
     * arguments (those are in the transaction for every organization to read).
     *
     * @throws ContractException {@code UNKNOWN_COLLECTION}; {@code PRIVATE_WRITE_DENIED} when the collection is
     *     {@code memberOnlyWrite} and the caller's organization is not a member
     */
    void putPrivate(String collection, String key, byte[] value);

    default void putPrivateString(String collection, String key, String value) {
        putPrivate(collection, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes {@code key} from {@code collection}; as {@link #putPrivate} for who may. */
    void deletePrivate(String collection, String key);

    /**
     * The committed keys of {@code collection} from {@code startKey} to {@code endKey}, as {@link #range}. Each key
     * returned is recorded as a hashed read (checked at commit); unlike a public range, keys added to the range
     * meanwhile are not detected (hashes cannot be replayed as a range). Members only, as {@link #getPrivate}.
     */
    Page privateRange(String collection, String startKey, String endKey, int pageSize, String bookmark);

    /** JSON values of {@code collection} matching {@code query}, as {@link #query}; members only. */
    Page privateQuery(String collection, Query query, int pageSize, String bookmark);

    // ---- events ----

    /**
     * Emits an event that clients receive once the transaction commits valid. Several calls emit
     * several events, in order.
     */
    void setEvent(String name, byte[] payload);

    default void setEvent(String name, String payload) {
        setEvent(name, payload.getBytes(StandardCharsets.UTF_8));
    }
}
