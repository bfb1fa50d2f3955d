package io.charter.peer.validation;

import io.charter.common.policy.Policy;
import java.util.Map;
import java.util.Optional;

/**
 * The endorsement policy of each contract namespace. Until contract definitions exist on the
 * channel (the lifecycle, later), {@link #channelDefault} gives every namespace the channel's
 * Endorsement policy, optionally overridden per namespace.
 */
@FunctionalInterface
public interface EndorsementPolicies {

    /** The namespace's policy; empty when no contract of that name is defined (UNDEFINED_CONTRACT). */
    Optional<Policy> policyFor(String namespace);

    static EndorsementPolicies channelDefault(ChannelContext channel) {
        return namespace -> Optional.of(channel.endorsement());
    }

    static EndorsementPolicies of(Map<String, ? extends Policy> policies, ChannelContext channel) {
        Map<String, Policy> copy = Map.copyOf(policies);
        return namespace -> Optional.of(copy.getOrDefault(namespace, channel.endorsement()));
    }
}
