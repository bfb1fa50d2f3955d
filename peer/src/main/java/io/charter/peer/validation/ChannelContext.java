package io.charter.peer.validation;

import io.charter.common.config.ChannelConfigs;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspDefinition;
import io.charter.common.identity.MspRegistry;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyEvaluator;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.SignaturePolicy;
import io.charter.common.policy.SubPolicies;
import io.charter.common.protocol.OrdererSignatureCheck;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * What validating a channel's blocks needs from its configuration: the organizations (an
 * {@link MspRegistry} with a caching {@link IdentityValidator}), their named policies and the channel
 * policies Writers, Endorsement, BlockValidation and LifecycleEndorsement, parsed once.
 *
 * <p>Defaults when the configuration names no such policy: Writers = {@code ANY Writers},
 * Endorsement and LifecycleEndorsement = {@code MAJORITY Endorsement}, BlockValidation = one signature of an orderer of any
 * channel organization ({@code OutOf(1, 'Org1.orderer', ...)}).
 *
 * <p>Groups, as Fabric's: {@code ANY/ALL/MAJORITY} in the channel's Readers, Writers and Admins count every
 * organization of the channel ({@link #evaluate}); in Endorsement, LifecycleEndorsement and contracts'
 * endorsement policies they count the application organizations only, those that run no consenter
 * ({@link #evaluateForApplications}, {@link ChannelConfigs#applicationOrganizations}).
 */
public final class ChannelContext {

    public static final String WRITERS = "Writers";
    public static final String ENDORSEMENT = "Endorsement";
    public static final String BLOCK_VALIDATION = OrdererSignatureCheck.POLICY_NAME;
    public static final String LIFECYCLE_ENDORSEMENT = "LifecycleEndorsement";

    private final ChannelConfig config;
    private final MspRegistry registry;
    private final IdentityValidator identities;
    private final SubPolicies subPolicies;
    private final SubPolicies applicationSubPolicies;
    private final SortedSet<String> applicationOrganizations;
    private final Policy writers;
    private final Policy endorsement;
    private final Policy blockValidation;
    private final Policy lifecycleEndorsement;

    private ChannelContext(ChannelConfig config, Clock clock) {
        this.config = config;
        List<MspDefinition> definitions = ChannelConfigs.mspDefinitions(config);
        Map<String, Map<String, SignaturePolicy>> organizationPolicies = ChannelConfigs.organizationPolicies(config);
        this.registry = new MspRegistry(definitions);
        this.identities = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock,
                IdentityValidator.DEFAULT_CACHE_SIZE);
        this.subPolicies = new SubPolicies(organizationPolicies);
        this.applicationOrganizations = java.util.Collections.unmodifiableSortedSet(
                ChannelConfigs.applicationOrganizations(config));
        Map<String, Map<String, SignaturePolicy>> applicationPolicies = new TreeMap<>(organizationPolicies);
        applicationPolicies.keySet().retainAll(applicationOrganizations);
        this.applicationSubPolicies = new SubPolicies(applicationPolicies);
        Map<String, String> policies = config.getPoliciesMap();
        this.writers = PolicyParser.parse(policies.getOrDefault(WRITERS, "ANY Writers"));
        this.endorsement = PolicyParser.parse(policies.getOrDefault(ENDORSEMENT, "MAJORITY Endorsement"));
        this.blockValidation = PolicyParser.parse(OrdererSignatureCheck.policyText(config));
        this.lifecycleEndorsement = PolicyParser.parse(policies.getOrDefault(LIFECYCLE_ENDORSEMENT, "MAJORITY Endorsement"));
    }

    /**
     * @throws IllegalArgumentException when a certificate, CRL or policy of the configuration cannot be used
     */
    public static ChannelContext of(ChannelConfig config, Clock clock) {
        if (config.getChannelId().isEmpty()) {
            throw new IllegalArgumentException("the channel configuration names no channel");
        }
        try {
            return new ChannelContext(config, clock);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the configuration of channel " + config.getChannelId()
                    + " is not usable: " + e.getMessage(), e);
        }
    }

    /** The configuration carried by a config block ({@link io.charter.common.config.ChannelConfigs#of}). */
    public static ChannelConfig configOf(Block configBlock) {
        return io.charter.common.config.ChannelConfigs.of(configBlock);
    }

    public String channelId() {
        return config.getChannelId();
    }

    public ChannelConfig config() {
        return config;
    }

    public MspRegistry registry() {
        return registry;
    }

    public IdentityValidator identities() {
        return identities;
    }

    public SubPolicies subPolicies() {
        return subPolicies;
    }

    public Policy writers() {
        return writers;
    }

    public Policy endorsement() {
        return endorsement;
    }

    public Policy blockValidation() {
        return blockValidation;
    }

    /** The policy a contract definition's endorsers must satisfy; default {@code MAJORITY Endorsement}. */
    public Policy lifecycleEndorsement() {
        return lifecycleEndorsement;
    }

    /** The Application group: the organizations that run no consenter (see {@link ChannelConfigs#applicationOrganizations}). */
    public SortedSet<String> applicationOrganizations() {
        return applicationOrganizations;
    }

    /** The application organizations' named policies, which ANY/ALL/MAJORITY in endorsement policies refer to. */
    public SubPolicies applicationSubPolicies() {
        return applicationSubPolicies;
    }

    /** Evaluates a channel policy (Readers, Writers, Admins): ANY/ALL/MAJORITY count every organization. */
    public Evaluation evaluate(Policy policy, Collection<ValidatedIdentity> signers) {
        return PolicyEvaluator.evaluate(policy, signers, subPolicies);
    }

    /**
     * Evaluates an application policy (Endorsement, LifecycleEndorsement, a contract's endorsement policy):
     * ANY/ALL/MAJORITY count the application organizations only.
     */
    public Evaluation evaluateForApplications(Policy policy, Collection<ValidatedIdentity> signers) {
        return PolicyEvaluator.evaluate(policy, signers, applicationSubPolicies);
    }
}
