package io.charter.membership.index;

import io.charter.common.membership.NodeRequests;
import io.charter.membership.MembershipException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node's heartbeat, signed with the key of its registered signing certificate. It replaces the
 * node's channel set and ledger heights.
 *
 * <p>Canonical encoding, version 1: ASCII {@code CHB1}; nodeId, mspId (strings); channel count, then
 * per channel in increasing order of name: name (string) and height (int64); sentAt in epoch
 * milliseconds (int64).
 */
public record Heartbeat(String nodeId, String mspId, SortedMap<String, Long> channelHeights, Instant sentAt) {

    static final String MAGIC = "CHB1";

    public Heartbeat {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(mspId, "mspId");
        channelHeights = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(channelHeights));
        sentAt = Instant.ofEpochMilli(sentAt.toEpochMilli());
    }

    public static Heartbeat of(String nodeId, String mspId, Map<String, Long> channelHeights, Instant sentAt) {
        return new Heartbeat(nodeId, mspId, new TreeMap<>(channelHeights), sentAt);
    }

    /** The exact bytes the node signs: common's {@link NodeRequests#heartbeat}, the one encoder nodes use too. */
    public byte[] encode() {
        return NodeRequests.heartbeat(nodeId, mspId, channelHeights, sentAt);
    }

    /** @throws MembershipException NODE_REQUEST_MALFORMED */
    public static Heartbeat decode(byte[] bytes) {
        CanonicalCodec.Reader r = new CanonicalCodec.Reader(bytes);
        r.magic(MAGIC);
        String nodeId = r.string();
        String mspId = r.string();
        int count = r.count();
        TreeMap<String, Long> channels = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            channels.put(r.string(), r.int64());
        }
        Instant sentAt = Instant.ofEpochMilli(r.int64());
        r.end();
        Heartbeat decoded = new Heartbeat(nodeId, mspId, channels, sentAt);
        if (!Arrays.equals(decoded.encode(), bytes)) {
            throw CanonicalCodec.malformed("it is not in canonical form (channels out of order or duplicated)");
        }
        return decoded;
    }
}
