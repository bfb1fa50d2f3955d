package io.charter.orderer.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.SubPolicies;
import io.charter.common.protocol.ConfigSignatures;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.orderer.access.ChannelTrust;
import io.charter.orderer.blockcutter.BatchParameters;
import io.charter.orderer.channel.SubmitResult.Status;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigSignature;
import io.charter.protocol.ConfigUpdate;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a CONFIG_UPDATE envelope against the channel's current configuration, in this order:
 *
 * <ol>
 *   <li>the data parses as a {@link ConfigUpdateEnvelope} holding a {@link ConfigUpdate} with a proposed
 *       configuration ({@link Status#CONFIG_INVALID});
 *   <li>the update and the proposed configuration name this channel ({@link Status#CONFIG_WRONG_CHANNEL});
 *   <li>the proposed sequence is the current sequence + 1 ({@link Status#CONFIG_SEQUENCE_MISMATCH});
 *   <li>the proposed configuration is well-formed: organizations with an MSP id (no repeats) and root
 *       certificates, certificates, CRLs and policies that parse, at least one consenter with a host and
 *       port, sane batch parameters ({@link Status#CONFIG_INVALID});
 *   <li>the admin signatures: each signer a valid signing identity of an organization of the
 *       <em>current</em> configuration, each signature valid over {@link ConfigSignatures#signedBytes}; the
 *       valid signers together satisfy the current {@code Admins} policy (default {@code MAJORITY Admins})
 *       ({@link Status#CONFIG_UNAUTHORIZED}). Invalid signatures are ignored (they count for nothing).
 * </ol>
 *
 * The creator of the envelope itself is checked by the broadcast validator like any other. Thread-safe.
 */
public final class ConfigUpdateChecker {

    private final SignatureVerifier verifier;
    private volatile Cached cached;

    private record Cached(ChannelConfig config, ChannelTrust trust) {}

    /** The outcome: either {@code proposed} (accepted) or a refusal. */
    public record Outcome(ChannelConfig proposed, Status status, String detail) {
        public boolean accepted() {
            return status == null;
        }

        static Outcome refuse(Status status, String detail) {
            return new Outcome(null, status, detail);
        }
    }

    public ConfigUpdateChecker(SignatureVerifier verifier) {
        this.verifier = verifier;
    }

    public ConfigUpdateChecker() {
        this(new EcdsaVerifier());
    }

    public Outcome check(ChannelConfig current, UnpackedEnvelope envelope) {
        if (envelope.header().getType() != HeaderType.CONFIG_UPDATE) {
            return Outcome.refuse(Status.CONFIG_INVALID, "not a CONFIG_UPDATE envelope");
        }
        String channelId = current.getChannelId();
        ConfigUpdateEnvelope updateEnvelope;
        ConfigUpdate update;
        try {
            updateEnvelope = ConfigUpdateEnvelope.parseFrom(envelope.data());
            update = ConfigUpdate.parseFrom(updateEnvelope.getConfigUpdate());
        } catch (InvalidProtocolBufferException e) {
            return Outcome.refuse(Status.CONFIG_INVALID, "the data is not a ConfigUpdateEnvelope holding a ConfigUpdate");
        }
        if (!update.hasProposed()) {
            return Outcome.refuse(Status.CONFIG_INVALID, "the update proposes no configuration");
        }
        ChannelConfig proposed = update.getProposed();
        if (!update.getChannelId().equals(channelId) || !proposed.getChannelId().equals(channelId)) {
            return Outcome.refuse(Status.CONFIG_WRONG_CHANNEL, "the update is for channel '" + update.getChannelId()
                    + "' proposing a configuration of '" + proposed.getChannelId() + "', not " + channelId);
        }
        if (proposed.getSequence() != current.getSequence() + 1) {
            return Outcome.refuse(Status.CONFIG_SEQUENCE_MISMATCH, "proposed sequence " + proposed.getSequence()
                    + ", expected " + (current.getSequence() + 1));
        }
        String invalid = wellFormedness(proposed);
        if (invalid != null) {
            return Outcome.refuse(Status.CONFIG_INVALID, invalid);
        }
        ChannelTrust trust = trust(current);
        List<ValidatedIdentity> signers = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (ConfigSignature signature : updateEnvelope.getSignaturesList()) {
            try {
                SerializedIdentity signer = SerializedIdentity.parseFrom(
                        SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator());
                ValidationResult result = trust.validateSigner(signer.getMspId(), signer.getCertificate());
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
        Evaluation admins = trust.evaluate(SubPolicies.ADMINS, signers);
        if (!admins.satisfied()) {
            return Outcome.refuse(Status.CONFIG_UNAUTHORIZED, "the " + signers.size()
                    + " valid admin signatures do not satisfy the Admins policy: " + admins.explanation()
                    + (ignored.isEmpty() ? "" : "; ignored " + ignored));
        }
        return new Outcome(proposed, null, "");
    }

    /** Null if {@code config} is well-formed, else what is wrong. */
    public static String wellFormedness(ChannelConfig config) {
        if (config.getOrganizationsCount() == 0) {
            return "the configuration has no organization";
        }
        Set<String> mspIds = new HashSet<>();
        for (OrganizationConfig organization : config.getOrganizationsList()) {
            if (organization.getMspId().isBlank()) {
                return "an organization has no MSP id";
            }
            if (!mspIds.add(organization.getMspId())) {
                return "organization " + organization.getMspId() + " appears twice";
            }
            if (organization.getRootCertsCount() == 0) {
                return "organization " + organization.getMspId() + " has no root certificate";
            }
        }
        try {
            ChannelTrust.of(config);
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
        if (!config.hasOrderer() || config.getOrderer().getConsentersCount() == 0) {
            return "the orderer configuration has no consenter";
        }
        Set<String> endpoints = new HashSet<>();
        for (Consenter consenter : config.getOrderer().getConsentersList()) {
            var endpoint = consenter.getEndpoint();
            if (endpoint.getHost().isBlank() || endpoint.getPort() < 1 || endpoint.getPort() > 65535) {
                return "consenter endpoint '" + endpoint.getHost() + ":" + endpoint.getPort() + "' is not valid";
            }
            if (!endpoints.add(endpoint.getHost() + ":" + endpoint.getPort())) {
                return "consenter " + endpoint.getHost() + ":" + endpoint.getPort() + " appears twice";
            }
        }
        var size = config.getOrderer().getBatchSize();
        if (size.getAbsoluteMaxBytes() > 0 && size.getPreferredMaxBytes() > size.getAbsoluteMaxBytes()) {
            return "preferred max bytes " + size.getPreferredMaxBytes() + " exceed absolute max bytes "
                    + size.getAbsoluteMaxBytes();
        }
        if (config.getOrderer().getBatchTimeout().getSeconds() < 0 || config.getOrderer().getBatchTimeout().getNanos() < 0) {
            return "the batch timeout is negative";
        }
        try {
            BatchParameters.of(config.getOrderer());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private ChannelTrust trust(ChannelConfig current) {
        Cached now = cached;
        if (now != null && now.config() == current) {
            return now.trust();
        }
        ChannelTrust trust = ChannelTrust.of(current);
        cached = new Cached(current, trust);
        return trust;
    }

    /** The serialized identity bytes of a signature header's creator (for tests and logs). */
    static ByteString creator(ConfigSignature signature) throws InvalidProtocolBufferException {
        return SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator();
    }
}
