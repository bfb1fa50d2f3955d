package io.charter.client.sdk;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A contract's endorsement policy in force on a channel, as a peer reported it ({@code peer.ContractPolicy}):
 * what {@link Network#contract(String)} plans endorsements with.
 *
 * @param contract the contract's name
 * @param sequence the committed definition's sequence; a redefinition raises it
 * @param version the definition's version text
 * @param endorsementPolicy canonical policy text: the definition's, or the channel's Endorsement policy when the
 *     definition names none
 * @param channelDefault whether {@code endorsementPolicy} is the channel's Endorsement policy
 * @param organizations the channel's application organizations (ANY/ALL/MAJORITY count them; never the orderer
 *     organizations), sorted
 */
public record ContractPolicy(String contract, long sequence, String version, String endorsementPolicy,
                             boolean channelDefault, SortedSet<String> organizations) {

    public ContractPolicy {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
        organizations = Collections.unmodifiableSortedSet(new TreeSet<>(organizations));
    }
}
