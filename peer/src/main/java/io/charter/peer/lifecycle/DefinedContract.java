package io.charter.peer.lifecycle;

import io.charter.common.policy.Policy;
import io.charter.protocol.ContractDefinition;
import java.util.Objects;

/**
 * A contract as committed on a channel.
 *
 * @param endorsementPolicy the definition's policy, or the channel's Endorsement policy when it names none
 */
public record DefinedContract(ContractDefinition definition, Policy endorsementPolicy) {

    public DefinedContract {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
    }

    public String name() {
        return definition.getName();
    }

    public long sequence() {
        return definition.getSequence();
    }

    public String packageId() {
        return definition.getPackageId();
    }
}
