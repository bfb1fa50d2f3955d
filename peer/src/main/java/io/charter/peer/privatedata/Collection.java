package io.charter.peer.privatedata;

import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.lifecycle.ImplicitCollections;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyParser;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * A private data collection of a contract as committed on a channel: its configuration and its member
 * organizations (those named by its member policy; for an implicit collection, its organization).
 *
 * @param endorsementPolicy the collection's own endorsement policy for its writes; empty = the contract's
 */
public record Collection(String namespace, CollectionConfig config, SortedSet<String> members,
                         Optional<Policy> endorsementPolicy) {

    public Collection {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
        members = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(members));
    }

    /** A collection is a pure function of its namespace and configuration: kept, so that validation parses each once. */
    private record Key(String namespace, CollectionConfig config) {}

    /** At most this many collections are kept; beyond, the memo starts again (definitions change rarely). */
    private static final int MEMO_LIMIT = 1_024;
    private static final java.util.concurrent.ConcurrentHashMap<Key, Collection> MEMO = new java.util.concurrent.ConcurrentHashMap<>();

    /** How many collections are kept now (at most {@link #MEMO_LIMIT}); for tests. */
    static int memoSize() {
        return MEMO.size();
    }

    static final int MEMO_LIMIT_FOR_TESTS = MEMO_LIMIT;

    private static Collection of(String namespace, CollectionConfig config) {
        Key key = new Key(namespace, config);
        Collection known = MEMO.get(key);
        if (known != null) {
            return known;
        }
        // definitions are checked when committed (DefinitionRules), so the policy parses
        Optional<Policy> policy = config.getEndorsementPolicy().isEmpty() ? Optional.empty()
                : Optional.of(PolicyParser.parse(config.getEndorsementPolicy()));
        Collection made = new Collection(namespace, config, DefinitionRules.members(config), policy);
        if (MEMO.size() >= MEMO_LIMIT) {
            MEMO.clear();
        }
        MEMO.put(key, made);
        return made;
    }

    /**
     * The collection {@code name} of a committed definition: one it declares, or the implicit collection of an
     * application organization of the channel ({@code _implicit_org_<mspId>}); empty for any other name.
     */
    public static Optional<Collection> of(ContractDefinition definition, String name, Set<String> applicationOrganizations) {
        for (CollectionConfig declared : definition.getCollectionsList()) {
            if (declared.getName().equals(name)) {
                return Optional.of(of(definition.getName(), declared));
            }
        }
        if (name.startsWith(ImplicitCollections.PREFIX)) {
            String mspId = name.substring(ImplicitCollections.PREFIX.length());
            if (applicationOrganizations.contains(mspId)) {
                CollectionConfig implicit = ImplicitCollections.of(mspId);
                return Optional.of(of(definition.getName(), implicit));
            }
        }
        return Optional.empty();
    }

    public String name() {
        return config.getName();
    }

    public boolean isMember(String mspId) {
        return members.contains(mspId);
    }

    /** The block at whose commit values written in {@code blockNumber} are purged; empty when kept forever. */
    public Optional<Long> expiryBlock(long blockNumber) {
        long blockToLive = config.getBlockToLive();
        return blockToLive <= 0 ? Optional.empty() : Optional.of(blockNumber + blockToLive + 1);
    }
}
