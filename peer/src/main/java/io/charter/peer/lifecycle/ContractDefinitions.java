package io.charter.peer.lifecycle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyParser;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.ledger.StatePage;
import io.charter.peer.ledger.VersionedValue;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.EndorsementPolicies;
import io.charter.protocol.ContractDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contracts defined on one channel, as committed in its ledger's {@value Lifecycle#NAMESPACE}
 * namespace, and so the endorsement policy of each namespace: a namespace without a committed
 * definition has none (UNDEFINED_CONTRACT at validation; the endorser refuses to run it).
 *
 * <p>Read from the ledger when created and again by {@link #refresh} after each block that wrote
 * definitions (the {@code BlockCommitter} calls it); {@link #epoch} changes with every refresh, so a
 * block prevalidated against older definitions is checked again. Thread-safe.
 */
public final class ContractDefinitions implements EndorsementPolicies {

    private static final Logger LOG = LoggerFactory.getLogger(ContractDefinitions.class);

    private final Supplier<ChannelContext> channel;
    private volatile Map<String, DefinedContract> definitions;
    private volatile long epoch;

    public ContractDefinitions(ChannelContext channel, Ledger ledger) {
        this(() -> channel, ledger);
    }

    /**
     * @param channel the configuration in force (a definition without a policy takes its Endorsement policy;
     *     the committer calls {@link #refresh} after a config block)
     */
    public ContractDefinitions(Supplier<ChannelContext> channel, Ledger ledger) {
        this.channel = channel;
        this.definitions = load(ledger);
    }

    public Optional<DefinedContract> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** Every defined contract, by name. */
    public Map<String, DefinedContract> all() {
        return definitions;
    }

    @Override
    public Optional<Policy> policyFor(String namespace) {
        if (Lifecycle.isReserved(namespace)) {
            return Optional.empty();
        }
        return definition(namespace).map(DefinedContract::endorsementPolicy);
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public synchronized void refresh(Ledger ledger) {
        definitions = load(ledger);
        epoch++;
    }

    private Map<String, DefinedContract> load(Ledger ledger) {
        Map<String, DefinedContract> loaded = new TreeMap<>();
        String bookmark = null;
        do {
            StatePage page = ledger.range(Lifecycle.NAMESPACE, Lifecycle.KEY_PREFIX, prefixEnd(Lifecycle.KEY_PREFIX), 1000, bookmark);
            for (VersionedValue value : page.entries()) {
                try {
                    ContractDefinition definition = ContractDefinition.parseFrom(value.value());
                    Policy policy = definition.getEndorsementPolicy().isEmpty() ? channel.get().endorsement()
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
