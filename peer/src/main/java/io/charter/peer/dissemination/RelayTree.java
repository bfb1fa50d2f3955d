package io.charter.peer.dissemination;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The relay tree of block push inside an organization. The leader splits the organization's other peers into
 * {@code fanout} contiguous parts of nearly equal size; each part's first peer (its head) gets the block with the
 * rest of its part as its own subtree, and does the same with it. Every peer is in exactly one part at each level,
 * so each gets the block once, after about log_fanout(n) hops instead of the n sequential pushes of one sender.
 */
public final class RelayTree {

    /** The most ids a push may name to relay to; beyond, the request is refused whole. */
    public static final int MAX_RELAY_IDS = 1024;
    /** The longest peer id a push may name. */
    public static final int MAX_ID_LENGTH = 256;

    private RelayTree() {}

    /** One push: to {@code head}, which passes the block on to {@code subtree}. */
    public record Branch(String head, List<String> subtree) {
        public Branch {
            subtree = List.copyOf(subtree);
        }
    }

    /**
     * Splits {@code ids} (in their order) into at most {@code fanout} branches; {@code fanout} 0 (or at least as many
     * as the ids) makes every id a branch of its own with an empty subtree: a linear push.
     */
    public static List<Branch> split(List<String> ids, int fanout) {
        int n = ids.size();
        int parts = fanout <= 0 ? n : Math.min(fanout, n);
        List<Branch> branches = new ArrayList<>(parts);
        int start = 0;
        for (int i = 0; i < parts; i++) {
            // the first n % parts parts are one larger, so sizes differ by at most one
            int size = n / parts + (i < n % parts ? 1 : 0);
            branches.add(new Branch(ids.get(start), ids.subList(start + 1, start + size)));
            start += size;
        }
        return branches;
    }

    /**
     * What a receiver may relay to out of a pushed {@code requested} list: only ids it knows itself as peers of its
     * organization ({@code known}), never itself, each once, in the request's order, and never more than it knows.
     * Unknown ids are dropped, not followed: the receiver addresses only peers of its own list, so a sender cannot
     * make it call an address of its choosing, nor amplify one push beyond the organization's size.
     */
    public static List<String> sanitize(List<String> requested, Set<String> known, String selfId) {
        Set<String> kept = new LinkedHashSet<>();
        for (String id : requested) {
            if (kept.size() >= known.size()) {
                break;
            }
            if (!id.equals(selfId) && known.contains(id)) {
                kept.add(id);
            }
        }
        return List.copyOf(kept);
    }

    /** The number of hops from the sender to the farthest peer when {@code n} peers are split with {@code fanout}. */
    public static int depth(List<String> ids, int fanout) {
        int deepest = 0;
        for (Branch branch : split(ids, fanout)) {
            deepest = Math.max(deepest, 1 + depth(branch.subtree(), fanout));
        }
        return deepest;
    }
}
