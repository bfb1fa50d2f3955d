package io.charter.common.config;

import com.google.protobuf.ByteString;
import io.charter.common.config.ChannelConfigs;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspDefinition;
import io.charter.common.identity.MspRegistry;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyEvaluator;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.PolicySyntaxException;
import io.charter.common.policy.SignaturePolicy;
import io.charter.common.policy.SubPolicies;
import io.charter.common.protocol.OrdererSignatureCheck;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one channel's configuration says about who may do what: its organizations (an {@link
 * MspRegistry} of their signing and TLS CAs and CRLs), identity validators for signing and TLS
 * certificates, and its policies (Readers, Writers, Admins, BlockValidation, with the organizations'
 * sub-policies).
 * Thread-safe; built once per channel configuration.
 */
public final class ChannelTrust {

    /** Used when the configuration defines no Readers or Writers policy, as Fabric's defaults. */
    public static final String DEFAULT_READERS = "ANY Readers";
    public static final String DEFAULT_WRITERS = "ANY Writers";
    public static final String DEFAULT_ADMINS = ChannelConfigs.DEFAULT_ADMINS;

    private final String channelId;
    private final MspRegistry registry;
    private final IdentityValidator signing;
    private final IdentityValidator tls;
    private final SubPolicies subPolicies;
    private final Map<String, Policy> policies = new HashMap<>();

    private ChannelTrust(ChannelConfig config, Clock clock) {
        this.channelId = config.getChannelId();
        List<MspDefinition> definitions;
        Map<String, Map<String, SignaturePolicy>> explicit;
        try {
            definitions = ChannelConfigs.mspDefinitions(config);
            explicit = ChannelConfigs.organizationPolicies(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel " + channelId + ": " + e.getMessage(), e);
        }
        this.registry = new MspRegistry(definitions);
        this.signing = new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, IdentityValidator.DEFAULT_CACHE_SIZE);
        this.tls = new IdentityValidator(registry, CertificatePurpose.TLS, clock, 1_000);
        this.subPolicies = new SubPolicies(explicit);
        policies.put(SubPolicies.READERS, parse(SubPolicies.READERS, config.getPoliciesOrDefault(SubPolicies.READERS, DEFAULT_READERS)));
        policies.put(SubPolicies.WRITERS, parse(SubPolicies.WRITERS, config.getPoliciesOrDefault(SubPolicies.WRITERS, DEFAULT_WRITERS)));
        policies.put(SubPolicies.ADMINS, parse(SubPolicies.ADMINS, config.getPoliciesOrDefault(SubPolicies.ADMINS, DEFAULT_ADMINS)));
        policies.put(OrdererSignatureCheck.POLICY_NAME,
                parse(OrdererSignatureCheck.POLICY_NAME, OrdererSignatureCheck.policyText(config)));
    }

    /**
     * @throws IllegalArgumentException when the configuration holds an unparseable certificate, CRL or policy
     */
    public static ChannelTrust of(ChannelConfig config) {
        return of(config, Clock.systemUTC());
    }

    public static ChannelTrust of(ChannelConfig config, Clock clock) {
        return new ChannelTrust(config, clock);
    }

    public String channelId() {
        return channelId;
    }

    public MspRegistry registry() {
        return registry;
    }

    /** Validates a signing identity (an envelope's creator). */
    public ValidationResult validateSigner(String mspId, ByteString certificateDer) {
        return signing.validate(mspId, certificateDer.toByteArray());
    }

    /**
     * Validates a TLS client certificate as an identity of the organization its subject names
     * ({@code O}), chained through that organization's TLS CAs.
     *
     * @param requiredRole the role it must carry, or null for any
     */
    public ValidationResult validateTlsCaller(X509Certificate certificate, Role requiredRole) {
        String mspId = SubjectName.from(certificate).map(SubjectName::organization).orElse("");
        return tls.validate(mspId, certificate, requiredRole);
    }

    /** Evaluates the channel policy {@code name} (Readers, Writers, Admins) against one signer. */
    public Evaluation evaluate(String name, ValidatedIdentity signer) {
        Policy policy = policies.get(name);
        if (policy == null) {
            return new Evaluation(false, "channel " + channelId + " has no policy " + name);
        }
        return PolicyEvaluator.evaluate(policy, List.of(signer), subPolicies);
    }

    /** Evaluates the channel policy {@code name} against several signers (e.g. admins of a config update). */
    public Evaluation evaluate(String name, Collection<ValidatedIdentity> signers) {
        Policy policy = policies.get(name);
        if (policy == null) {
            return new Evaluation(false, "channel " + channelId + " has no policy " + name);
        }
        return PolicyEvaluator.evaluate(policy, signers, subPolicies);
    }

    /**
     * Why {@code block}'s orderer signatures do not satisfy this configuration's {@code BlockValidation}
     * policy (default: one orderer of any organization of the channel), or empty when they do; the
     * same check peers make ({@link OrdererSignatureCheck}).
     */
    public Optional<String> ordererSignatureProblem(Block block, SignatureVerifier verifier) {
        Policy blockValidation = policies.get(OrdererSignatureCheck.POLICY_NAME);
        return OrdererSignatureCheck.problem(block, blockValidation, new OrdererSignatureCheck.Signers() {
            @Override
            public ValidationResult validate(String mspId, ByteString certificate) {
                return signing.validate(mspId, certificate);
            }

            @Override
            public Evaluation evaluate(Policy policy, Collection<ValidatedIdentity> signers) {
                return PolicyEvaluator.evaluate(policy, signers, subPolicies);
            }
        }, verifier);
    }

    /** Whether {@code certificate} is a TLS certificate of an ADMIN of one of the channel's organizations. */
    public ValidationResult validateAdmin(X509Certificate certificate) {
        return validateTlsCaller(certificate, Role.ADMIN);
    }

    /**
     * Whether {@code certificate} is a signing certificate of an ADMIN of the organization its subject names
     * ({@code O}), one of the channel's.
     */
    public ValidationResult validateAdminSigner(X509Certificate certificate) {
        String mspId = SubjectName.from(certificate).map(SubjectName::organization).orElse("");
        return signing.validate(mspId, certificate, Role.ADMIN);
    }

    /** Every TLS root the channel's organizations trust (for the transport's trust store). */
    public List<X509Certificate> tlsRoots() {
        List<X509Certificate> roots = new ArrayList<>();
        for (String mspId : registry.mspIds()) {
            registry.definition(mspId).ifPresent(d -> roots.addAll(d.tlsRootCertificates()));
        }
        return roots;
    }

    /** Every CRL of the channel's organizations. */
    public List<X509CRL> crls() {
        List<X509CRL> crls = new ArrayList<>();
        for (String mspId : registry.mspIds()) {
            registry.definition(mspId).ifPresent(d -> crls.addAll(d.crls()));
        }
        return crls;
    }

    private Policy parse(String name, String text) {
        try {
            return PolicyParser.parse(text);
        } catch (PolicySyntaxException e) {
            throw new IllegalArgumentException("channel " + channelId + ": policy " + name + " '" + text + "': "
                    + e.getMessage(), e);
        }
    }
}
