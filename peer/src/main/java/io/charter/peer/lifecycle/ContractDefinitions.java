package io.charter.peer.lifecycle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyParser;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.ledger.StatePage;
import io.charter.peer.ledger.VersionedValue;
import io.charter.protocol.ContractDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contracts defined on one channel, as committed in its ledger's {@value DefinitionRules#NAMESPACE}
 * namespace, and so the endorsement policy of each namespace: a namespace without a committed
 * definition has none (UNDEFINED_CONTRACT at validation; the endorser refuses to run it).
 *
 * <p>Read from the ledger when created and again by {@link #refresh} after each block that wrote
 * definitions (the {@code BlockCommitter} calls it, through the validator's
 * {@code EndorsementPolicies.definedBy(definitions)}); {@link #epoch} changes with every refresh, so a
 * block prevalidated against older definitions is checked again. Thread-safe.
 */
public final class ContractDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(ContractDefinitions.class);

    private final Supplier<Policy> channelEndorsement;
    private volatile Map<String, DefinedContract> definitions;
    private volatile long epoch;

    /**
     * @param channelEndorsement the Endorsement policy of the configuration in force, which a definition without a
     *     policy of its own takes (the committer calls {@link #refresh} after a config block)
     */
    public ContractDefinitions(Supplier<Policy> channelEndorsement, Ledger ledger) {
        this.channelEndorsement = channelEndorsement;
        this.definitions = load(ledger);
    }

    public Optional<DefinedContract> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** Every defined contract, by name. */
    public Map<String, DefinedContract> all() {
        return definitions;
    }

    /** The namespace's endorsement policy; empty when no contract of that name is defined (UNDEFINED_CONTRACT). */
    public Optional<Policy> policyFor(String namespace) {
        if (DefinitionRules.isReserved(namespace)) {
            return Optional.empty();
        }
        return definition(namespace).map(DefinedContract::endorsementPolicy);
    }

    /** Changes with every {@link #refresh}. */
    public long epoch() {
        return epoch;
    }

    /** Reads the committed definitions again, after a block that wrote definitions or a new configuration. */
    public synchronized void refresh(Ledger ledger) {
        definitions = load(ledger);
        epoch++;
    }

    private Map<String, DefinedContract> load(Ledger ledger) {
        Map<String, DefinedContract> loaded = new TreeMap<>();
        String bookmark = null;
        do {
            StatePage page = ledger.range(DefinitionRules.NAMESPACE, Lifecycle.KEY_PREFIX, prefixEnd(Lifecycle.KEY_PREFIX), 1000, bookmark);
            for (VersionedValue value : page.entries()) {
                try {
                    ContractDefinition definition = ContractDefinition.parseFrom(value.value());
                    Policy policy = definition.getEndorsementPolicy().isEmpty() ? channelEndorsement.get()
                            : PolicyParser.parse(definition.getEndorsementPolicy());
                    loaded.put(definition.getName(), new DefinedContract(definition, policy));
                } catch (InvalidProtocolBufferException | RuntimeException e) {
                    // Validation admits only well-formed definitions; this would be a corrupt database.
                    LOG.error("channel {}: the committed definition under {} is unusable: {}", ledger.channelId(),
                            value.key(), e.getMessage());
                }
            }
            bookmark = page.bookmark().orElse(null);
        } while (bookmark != null);
        return java.util.Collections.unmodifiableMap(loaded);
    }

    /** The smallest string after every string that starts with {@code prefix} (its last char + 1). */
    static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }
}
