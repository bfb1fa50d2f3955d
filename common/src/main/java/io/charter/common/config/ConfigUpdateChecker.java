package io.charter.common.config;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspRegistry;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyEvaluator;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.SubPolicies;
import io.charter.common.protocol.ConfigSignatures;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigSignature;
import io.charter.protocol.ConfigUpdate;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a CONFIG_UPDATE envelope against a channel's current configuration. Orderers run it before
 * ordering an update; peers run it again on the {@code last_update} of every config block after genesis,
 * so both accept exactly the same updates. In this order:
 *
 * <ol>
 *   <li>the data parses as a {@link ConfigUpdateEnvelope} holding a {@link ConfigUpdate} with a proposed
 *       configuration ({@link Refusal#INVALID});
 *   <li>the update and the proposed configuration name this channel ({@link Refusal#WRONG_CHANNEL});
 *   <li>the proposed sequence is the current sequence + 1 ({@link Refusal#SEQUENCE_MISMATCH});
 *   <li>the proposed configuration is well-formed ({@link #wellFormedness}, {@link Refusal#INVALID});
 *   <li>the admin signatures: each signer a valid signing identity of an organization of the
 *       <em>current</em> configuration, each signature valid over {@link ConfigSignatures#signedBytes}; the
 *       valid signers together satisfy the current {@code Admins} policy (default {@code MAJORITY Admins})
 *       ({@link Refusal#UNAUTHORIZED}). Invalid signatures are ignored (they count for nothing).
 * </ol>
 *
 * The creator of the CONFIG_UPDATE envelope itself is not checked here (the orderer's broadcast checks it
 * like any other envelope's). Thread-safe.
 */
public final class ConfigUpdateChecker {

    /** Why an update was refused. */
    public enum Refusal {
        /** Not a CONFIG_UPDATE, unparseable, no proposed configuration, or a malformed proposed configuration. */
        INVALID,
        /** The update or its proposed configuration names another channel. */
        WRONG_CHANNEL,
        /** The proposed sequence is not the current one + 1. */
        SEQUENCE_MISMATCH,
        /** The valid admin signatures do not satisfy the current Admins policy. */
        UNAUTHORIZED
    }

    /** The outcome: either {@code proposed} (accepted, {@code refusal} empty) or a refusal with what is wrong. */
    public record Outcome(Optional<ChannelConfig> proposed, Optional<Refusal> refusal, String detail) {
        public Outcome {
            Objects.requireNonNull(proposed, "proposed");
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(detail, "detail");
        }

        public boolean accepted() {
            return refusal.isEmpty();
        }

        static Outcome accept(ChannelConfig proposed) {
            return new Outcome(Optional.of(proposed), Optional.empty(), "");
        }

        static Outcome refuse(Refusal refusal, String detail) {
            return new Outcome(Optional.empty(), Optional.of(refusal), detail);
        }
    }

    private final SignatureVerifier verifier;
    private final Clock clock;
    private volatile Cached cached;

    /** The current configuration's signing identities and Admins policy, built once per configuration. */
    private record Cached(ChannelConfig config, IdentityValidator identities, SubPolicies subPolicies, Policy admins) {}

    public ConfigUpdateChecker(SignatureVerifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    public ConfigUpdateChecker() {
        this(new EcdsaVerifier(), Clock.systemUTC());
    }

    /**
     * Checks {@code envelope} (a CONFIG_UPDATE) against {@code current}. Never throws for bad input.
     *
     * @throws IllegalArgumentException when {@code current} itself is not usable (a configuration in force
     *     always is: it was checked when it was accepted)
     */
    public Outcome check(ChannelConfig current, UnpackedEnvelope envelope) {
        if (envelope.header().getType() != HeaderType.CONFIG_UPDATE) {
            return Outcome.refuse(Refusal.INVALID, "not a CONFIG_UPDATE envelope but " + envelope.header().getType());
        }
        String channelId = current.getChannelId();
        ConfigUpdateEnvelope updateEnvelope;
        ConfigUpdate update;
        try {
            updateEnvelope = ConfigUpdateEnvelope.parseFrom(envelope.data());
            update = ConfigUpdate.parseFrom(updateEnvelope.getConfigUpdate());
        } catch (InvalidProtocolBufferException e) {
            return Outcome.refuse(Refusal.INVALID, "the data is not a ConfigUpdateEnvelope holding a ConfigUpdate");
        }
        if (!update.hasProposed()) {
            return Outcome.refuse(Refusal.INVALID, "the update proposes no configuration");
        }
        ChannelConfig proposed = update.getProposed();
        if (!update.getChannelId().equals(channelId) || !proposed.getChannelId().equals(channelId)) {
            return Outcome.refuse(Refusal.WRONG_CHANNEL, "the update is for channel '" + update.getChannelId()
                    + "' proposing a configuration of '" + proposed.getChannelId() + "', not " + channelId);
        }
        if (proposed.getSequence() != current.getSequence() + 1) {
            return Outcome.refuse(Refusal.SEQUENCE_MISMATCH, "proposed sequence " + proposed.getSequence()
                    + ", expected " + (current.getSequence() + 1));
        }
        Optional<String> invalid = wellFormedness(proposed);
        if (invalid.isPresent()) {
            return Outcome.refuse(Refusal.INVALID, invalid.get());
        }
        Cached trust = trust(current);
        List<ValidatedIdentity> signers = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (ConfigSignature signature : updateEnvelope.getSignaturesList()) {
            try {
                SerializedIdentity signer = SerializedIdentity.parseFrom(
                        SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator());
                ValidationResult result = trust.identities().validate(signer.getMspId(), signer.getCertificate());
                if (result instanceof ValidationResult.Rejected rejected) {
                    ignored.add(signer.getMspId() + ": " + rejected.reason());
                    continue;
                }
                ValidatedIdentity identity = result.identity().orElseThrow();
                if (!ConfigSignatures.verify(updateEnvelope.getConfigUpdate(), signature, verifier,
                        identity.certificate().getPublicKey())) {
                    ignored.add(signer.getMspId() + ": bad signature");
                    continue;
                }
                signers.add(identity);
            } catch (InvalidProtocolBufferException e) {
                ignored.add("unparseable signature header");
            }
        }
        Evaluation admins = PolicyEvaluator.evaluate(trust.admins(), signers, trust.subPolicies());
        if (!admins.satisfied()) {
            return Outcome.refuse(Refusal.UNAUTHORIZED, "the " + signers.size()
                    + " valid admin signatures do not satisfy the Admins policy: " + admins.explanation()
                    + (ignored.isEmpty() ? "" : "; ignored " + ignored));
        }
        return Outcome.accept(proposed);
    }

    /**
     * Empty if {@code config} is well-formed, else what is wrong: at least one organization, MSP ids
     * non-empty and distinct, each with a root certificate; every certificate, CRL and policy (the
     * organizations' and the channel's) parses; at least one consenter, with distinct endpoints of a host
     * and a port 1..65535; preferred max bytes not above absolute max bytes; a non-negative batch timeout.
     */
    public static Optional<String> wellFormedness(ChannelConfig config) {
        if (config.getChannelId().isEmpty()) {
            return Optional.of("the configuration names no channel");
        }
        if (config.getOrganizationsCount() == 0) {
            return Optional.of("the configuration has no organization");
        }
        Set<String> mspIds = new HashSet<>();
        for (OrganizationConfig organization : config.getOrganizationsList()) {
            if (organization.getMspId().isBlank()) {
                return Optional.of("an organization has no MSP id");
            }
            if (!mspIds.add(organization.getMspId())) {
                return Optional.of("organization " + organization.getMspId() + " appears twice");
            }
            if (organization.getRootCertsCount() == 0) {
                return Optional.of("organization " + organization.getMspId() + " has no root certificate");
            }
        }
        try {
            new MspRegistry(ChannelConfigs.mspDefinitions(config));
            ChannelConfigs.organizationPolicies(config);
            ChannelConfigs.checkChannelPolicies(config);
        } catch (RuntimeException e) {
            return Optional.of("channel " + config.getChannelId() + ": " + e.getMessage());
        }
        if (!config.hasOrderer() || config.getOrderer().getConsentersCount() == 0) {
            return Optional.of("the orderer configuration has no consenter");
        }
        Set<String> endpoints = new HashSet<>();
        for (Consenter consenter : config.getOrderer().getConsentersList()) {
            var endpoint = consenter.getEndpoint();
            if (endpoint.getHost().isBlank() || endpoint.getPort() < 1 || endpoint.getPort() > 65535) {
                return Optional.of("consenter endpoint '" + endpoint.getHost() + ":" + endpoint.getPort() + "' is not valid");
            }
            if (!endpoints.add(endpoint.getHost() + ":" + endpoint.getPort())) {
                return Optional.of("consenter " + endpoint.getHost() + ":" + endpoint.getPort() + " appears twice");
            }
        }
        var size = config.getOrderer().getBatchSize();
        if (size.getAbsoluteMaxBytes() > 0 && size.getPreferredMaxBytes() > size.getAbsoluteMaxBytes()) {
            return Optional.of("preferred max bytes " + size.getPreferredMaxBytes() + " exceed absolute max bytes "
                    + size.getAbsoluteMaxBytes());
        }
        if (config.getOrderer().getBatchTimeout().getSeconds() < 0 || config.getOrderer().getBatchTimeout().getNanos() < 0) {
            return Optional.of("the batch timeout is negative");
        }
        return Optional.empty();
    }

    private Cached trust(ChannelConfig current) {
        Cached now = cached;
        if (now != null && now.config() == current) {
            return now;
        }
        MspRegistry registry = new MspRegistry(ChannelConfigs.mspDefinitions(current));
        Cached built = new Cached(current,
                new IdentityValidator(registry, CertificatePurpose.SIGNING, clock, 1_000),
                new SubPolicies(ChannelConfigs.organizationPolicies(current)),
                PolicyParser.parse(current.getPoliciesOrDefault(SubPolicies.ADMINS, ChannelConfigs.DEFAULT_ADMINS)));
        cached = built;
        return built;
    }
}
