package io.charter.common.testing;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.protocol.ConfigSignatures;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdate;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Builds CONFIG_UPDATE envelopes for tests: a proposed configuration signed by admins. */
public final class ConfigUpdates {

    /** An admin (or submitter) of organization {@code mspId}. */
    public record Signer(String mspId, TestPki.Credential credential) {

        public ByteString serialized() {
            return ConfigUpdates.serialized(mspId, credential.certificate());
        }
    }

    private ConfigUpdates() {}

    /**
     * A CONFIG_UPDATE for {@code channel} proposing {@code proposed}, signed by {@code admins}, the
     * envelope created and signed by {@code submitter}.
     */
    public static Envelope envelope(String channel, ChannelConfig proposed, List<Signer> admins, Signer submitter) {
        ByteString update = ConfigUpdate.newBuilder().setChannelId(channel).setProposed(proposed).build().toByteString();
        ConfigUpdateEnvelope.Builder data = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update);
        for (Signer admin : admins) {
            data.addSignatures(ConfigSignatures.sign(update, EcdsaSigner.of(admin.credential().keys()), admin.serialized()));
        }
        return envelope(channel, HeaderType.CONFIG_UPDATE, data.build().toByteString(), submitter);
    }

    /** An envelope of {@code type} carrying {@code data}, created and signed by {@code creator}. */
    public static Envelope envelope(String channel, HeaderType type, ByteString data, Signer creator) {
        ByteString creatorBytes = creator.serialized();
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(type)
                .setChannelId(channel)
                .setTxId(TransactionIds.compute(nonce, creatorBytes))
                .setCreator(creatorBytes)
                .setNonce(nonce)
                .build();
        return Envelopes.seal(header, data, EcdsaSigner.of(creator.credential().keys()));
    }

    public static ByteString serialized(String mspId, X509Certificate certificate) {
        try {
            return SerializedIdentity.newBuilder().setMspId(mspId)
                    .setCertificate(ByteString.copyFrom(certificate.getEncoded())).build().toByteString();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
