package io.charter.peer.validation;

import io.charter.common.policy.Policy;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.privatedata.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The endorsement policy of each contract namespace. On a running peer it comes from the contract
 * definitions committed on the channel ({@link #definedBy});
 * {@link #channelDefault} and {@link #of} give every namespace the channel's Endorsement policy (or a
 * fixed one), for tests and tools that validate without the lifecycle.
 */
@FunctionalInterface
public interface EndorsementPolicies {

    /** The namespace's policy; empty when no contract of that name is defined (UNDEFINED_CONTRACT). */
    Optional<Policy> policyFor(String namespace);

    /**
     * The private data collection {@code name} of the contract {@code namespace} (declared in its committed
     * definition, or implicit for an application organization of {@code channel}); empty when there is none. Only the
     * policies {@link #definedBy} the lifecycle know collections.
     */
    default Optional<Collection> collection(String namespace, String name, ChannelContext channel) {
        return Optional.empty();
    }

    /**
     * Changes whenever the policies change. A block prevalidated under another epoch than the current
     * one is prevalidated again before its commit, so that every peer validates block n with the
     * definitions committed up to block n-1, whatever its pipelining.
     */
    default long epoch() {
        return 0;
    }

    /** Called by the committer after a block that wrote contract definitions has committed. */
    default void refresh(Ledger ledger) {}

    /**
     * The policies of the contracts defined on the channel: a namespace without a committed definition has none;
     * refreshed, with a new epoch, after each block that wrote definitions or a configuration.
     */
    static EndorsementPolicies definedBy(ContractDefinitions definitions) {
        return new EndorsementPolicies() {
            @Override
            public Optional<Policy> policyFor(String namespace) {
                return definitions.policyFor(namespace);
            }

            @Override
            public Optional<Collection> collection(String namespace, String name, ChannelContext channel) {
                return definitions.definition(namespace)
                        .flatMap(defined -> Collection.of(defined.definition(), name, channel.applicationOrganizations()));
            }

            @Override
            public long epoch() {
                return definitions.epoch();
            }

            @Override
            public void refresh(Ledger ledger) {
                definitions.refresh(ledger);
            }
        };
    }

    static EndorsementPolicies channelDefault(ChannelContext channel) {
        return namespace -> Optional.of(channel.endorsement());
    }

    /** Every namespace takes the Endorsement policy of the configuration in force. */
    static EndorsementPolicies channelDefault(CurrentConfig config) {
        return namespace -> Optional.of(config.get().endorsement());
    }

    static EndorsementPolicies of(Map<String, ? extends Policy> policies, ChannelContext channel) {
        Map<String, Policy> copy = Map.copyOf(policies);
        return namespace -> Optional.of(copy.getOrDefault(namespace, channel.endorsement()));
    }
}
