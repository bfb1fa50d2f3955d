package io.charter.common.lifecycle;

import io.charter.protocol.CollectionConfig;
import java.util.Collection;
import java.util.List;

/**
 * The implicit per-organization collections: every application organization of a channel has one collection
 * named {@code _implicit_org_<mspId>} (Fabric's naming) in every contract, never declared in a definition. Its
 * member policy is that organization's member ({@code OR('<mspId>.member')}); like Fabric's, it needs no
 * dissemination ({@code requiredPeerCount} 0, {@code maxPeerCount} 1), keeps its values forever, does not
 * restrict reads or writes to members and has the contract's endorsement policy. Declared collections may not
 * use names starting with {@code _} ({@link DefinitionProblem.Code#COLLECTION_NAME_RESERVED}).
 */
public final class ImplicitCollections {

    /** The prefix of implicit collection names. */
    public static final String PREFIX = "_implicit_org_";

    private ImplicitCollections() {}

    /** The name of {@code mspId}'s implicit collection. */
    public static String name(String mspId) {
        return PREFIX + mspId;
    }

    /** {@code mspId}'s implicit collection. */
    public static CollectionConfig of(String mspId) {
        return CollectionConfig.newBuilder().setName(name(mspId)).setMemberPolicy("OR('" + mspId + ".member')")
                .setRequiredPeerCount(0).setMaxPeerCount(1).setBlockToLive(0).build();
    }

    /** The implicit collections of a channel whose application organizations are {@code organizations}, in their order. */
    public static List<CollectionConfig> of(Collection<String> organizations) {
        return organizations.stream().map(ImplicitCollections::of).toList();
    }
}
