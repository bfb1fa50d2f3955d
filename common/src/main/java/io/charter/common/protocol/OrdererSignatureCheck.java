package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.Policy;
import io.charter.protocol.Block;
import io.charter.protocol.BlockSignature;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a block's orderer signatures satisfy the channel's {@code BlockValidation} policy: the check
 * a peer makes on every block it receives and an orderer makes on every block it fetches from another
 * orderer while catching up. Each signature's creator must be a valid signing identity of the
 * configuration in force at the block and its signature must verify (see {@link BlockSignatures});
 * the signers that pass together must satisfy the policy. A signature that fails counts for nothing.
 */
public final class OrdererSignatureCheck {

    /** The name of the channel policy the orderer signatures must satisfy. */
    public static final String POLICY_NAME = "BlockValidation";

    private OrdererSignatureCheck() {}

    /** What the check needs from the channel configuration in force at the block. */
    public interface Signers {
        /** Validates a signature's creator as a signing identity of the channel's organizations. */
        ValidationResult validate(String mspId, ByteString certificate);

        /** The public key to verify with (a caller may cache converted keys). */
        default PublicKey publicKey(ByteString certificate, ValidatedIdentity identity) {
            return identity.certificate().getPublicKey();
        }

        /** Evaluates {@code policy} against the signers whose signature verified. */
        Evaluation evaluate(Policy policy, Collection<ValidatedIdentity> signers);
    }

    /**
     * The BlockValidation policy of {@code config} when it names none: one signature of an orderer of
     * any of its organizations ({@code OutOf(1, 'Org1.orderer', ...)}), or {@code ANY Writers} for a
     * configuration without organizations.
     */
    public static String defaultPolicy(ChannelConfig config) {
        return config.getOrganizationsList().isEmpty() ? "ANY Writers"
                : config.getOrganizationsList().stream()
                        .map(o -> "'" + o.getMspId() + ".orderer'")
                        .collect(Collectors.joining(", ", "OutOf(1, ", ")"));
    }

    /** The BlockValidation policy text of {@code config}: its own, else {@link #defaultPolicy}. */
    public static String policyText(ChannelConfig config) {
        return config.getPoliciesOrDefault(POLICY_NAME, defaultPolicy(config));
    }

    /**
     * Checks the signatures in {@code block}'s metadata.
     *
     * @return empty when they satisfy {@code blockValidation}, else why not (for logs and refusals)
     */
    public static Optional<String> problem(Block block, Policy blockValidation, Signers signers, SignatureVerifier verifier) {
        List<ValidatedIdentity> valid = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (BlockSignature signature : block.getMetadata().getSignaturesList()) {
            SerializedIdentity creator;
            try {
                creator = SerializedIdentity.parseFrom(SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator());
            } catch (InvalidProtocolBufferException e) {
                problems.add("a signature header is malformed");
                continue;
            }
            ValidationResult identity = signers.validate(creator.getMspId(), creator.getCertificate());
            if (!(identity instanceof ValidationResult.Valid accepted)) {
                problems.add("signer of " + creator.getMspId() + " not accepted: " + identity);
                continue;
            }
            ValidatedIdentity signer = accepted.validatedIdentity();
            if (!BlockSignatures.verify(block, signature, verifier, signers.publicKey(creator.getCertificate(), signer))) {
                problems.add("the signature of " + signer.enrollmentId() + " (" + creator.getMspId() + ") does not verify");
                continue;
            }
            valid.add(signer);
        }
        Evaluation evaluation = signers.evaluate(blockValidation, valid);
        if (evaluation.satisfied()) {
            return Optional.empty();
        }
        return Optional.of("orderer signatures do not satisfy " + POLICY_NAME + " " + blockValidation + ": "
                + evaluation.explanation() + (problems.isEmpty() ? "" : " " + problems));
    }
}
