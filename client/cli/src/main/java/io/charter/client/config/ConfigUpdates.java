package io.charter.client.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.config.ChannelTrust;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.SubjectName;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.SubPolicies;
import io.charter.common.protocol.ConfigSignatures;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigSignature;
import io.charter.protocol.ConfigUpdate;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Configuration updates as admins pass them around: a {@link ConfigUpdateEnvelope} (the proposed configuration as
 * {@link ConfigUpdate} bytes and the admins' {@link ConfigSignature}s over them, {@link ConfigSignatures}), and the
 * check the orderers will make of the signatures against the configuration in force, done here first so that the
 * CLI can say who still has to sign.
 */
public final class ConfigUpdates {

    /** Who signed: the organization, the enrollment id (certificate CN), the role (certificate OU). */
    public record Signatory(String mspId, String enrollmentId, String role, ByteString certificate) {
        @Override
        public String toString() {
            return enrollmentId + " (" + mspId + ", " + role + ")";
        }
    }

    /**
     * The signatures judged as the orderers will judge them against the configuration in force.
     *
     * @param satisfied whether the valid signatures satisfy the Admins policy
     * @param explanation the policy evaluation's words (what is missing when not satisfied)
     * @param counted the signers that count
     * @param ignored signatures that count for nothing, with why
     */
    public record AdminsCheck(boolean satisfied, String explanation, List<Signatory> counted, List<String> ignored) {}

    private ConfigUpdates() {}

    /** An unsigned update proposing {@code proposed} (its sequence already the current one + 1). */
    public static ConfigUpdateEnvelope unsigned(ChannelConfig proposed) {
        return ConfigUpdateEnvelope.newBuilder().setConfigUpdate(ConfigUpdate.newBuilder()
                .setChannelId(proposed.getChannelId()).setProposed(proposed).build().toByteString()).build();
    }

    /** The update an envelope carries; {@link IllegalArgumentException} when the bytes are no update. */
    public static ConfigUpdate update(ConfigUpdateEnvelope envelope) {
        try {
            ConfigUpdate update = ConfigUpdate.parseFrom(envelope.getConfigUpdate());
            if (!update.hasProposed()) {
                throw new IllegalArgumentException("the update proposes no configuration");
            }
            return update;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the update's bytes are not a ConfigUpdate: " + e.getMessage(), e);
        }
    }

    /** Reads an update file's bytes; {@link IllegalArgumentException} when they are no update. */
    public static ConfigUpdateEnvelope parse(byte[] bytes) {
        ConfigUpdateEnvelope envelope;
        try {
            envelope = ConfigUpdateEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a configuration update file (ConfigUpdateEnvelope): " + e.getMessage(), e);
        }
        if (envelope.getConfigUpdate().isEmpty()) {
            throw new IllegalArgumentException("not a configuration update file: it carries no update");
        }
        update(envelope);
        for (ConfigSignature signature : envelope.getSignaturesList()) {
            signer(signature);
        }
        return envelope;
    }

    /** {@code envelope} with one more signature, by {@code signer} whose certificate is {@code certificate}. */
    public static ConfigUpdateEnvelope sign(ConfigUpdateEnvelope envelope, String mspId, X509Certificate certificate,
            io.charter.common.crypto.Signer signer) {
        ByteString identity = serialized(mspId, certificate);
        return envelope.toBuilder().addSignatures(ConfigSignatures.sign(envelope.getConfigUpdate(), signer, identity)).build();
    }

    /** Who signed, in order. */
    public static List<Signatory> signers(ConfigUpdateEnvelope envelope) {
        return envelope.getSignaturesList().stream().map(ConfigUpdates::signer).toList();
    }

    /** Whether {@code certificate} already signed {@code envelope}. */
    public static boolean signedBy(ConfigUpdateEnvelope envelope, X509Certificate certificate) {
        ByteString der = der(certificate);
        return signers(envelope).stream().anyMatch(s -> s.certificate().equals(der));
    }

    static Signatory signer(ConfigSignature signature) {
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(
                    SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator());
            Optional<SubjectName> subject = certificate(identity.getCertificate()).flatMap(SubjectName::from);
            return new Signatory(identity.getMspId(), subject.map(SubjectName::commonName).orElse("?"),
                    subject.flatMap(SubjectName::role).map(r -> r.label()).orElse("?"), identity.getCertificate());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a signature's header does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The signatures of {@code envelope} checked as the orderers check them ({@code ConfigUpdateChecker}): each signer
     * a valid signing identity of an organization of {@code current}, its signature valid; together they must
     * satisfy {@code current}'s Admins policy.
     */
    public static AdminsCheck check(ChannelConfig current, ConfigUpdateEnvelope envelope) {
        ChannelTrust trust = ChannelTrust.of(current);
        EcdsaVerifier verifier = new EcdsaVerifier();
        List<ValidatedIdentity> valid = new ArrayList<>();
        List<Signatory> counted = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (ConfigSignature signature : envelope.getSignaturesList()) {
            Signatory signer = signer(signature);
            ValidationResult result = trust.validateSigner(signer.mspId(), signer.certificate());
            if (result instanceof ValidationResult.Rejected rejected) {
                ignored.add(signer + ": " + rejected.reason());
                continue;
            }
            ValidatedIdentity identity = result.identity().orElseThrow();
            if (!ConfigSignatures.verify(envelope.getConfigUpdate(), signature, verifier, identity.certificate().getPublicKey())) {
                ignored.add(signer + ": the signature does not verify");
                continue;
            }
            valid.add(identity);
            counted.add(signer);
        }
        Evaluation evaluation = trust.evaluate(SubPolicies.ADMINS, valid);
        return new AdminsCheck(evaluation.satisfied(), evaluation.explanation(), counted, ignored);
    }

    static ByteString serialized(String mspId, X509Certificate certificate) {
        return SerializedIdentity.newBuilder().setMspId(mspId).setCertificate(der(certificate)).build().toByteString();
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<X509Certificate> certificate(ByteString der) {
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der.toByteArray())));
        } catch (CertificateException e) {
            return Optional.empty();
        }
    }
}
