package io.charter.orderer.service;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.protocol.ConfigSignatures;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestPki;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigUpdate;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import java.util.List;

/** Builds CONFIG_UPDATE envelopes for tests: the proposed configuration signed by admins. */
final class ConfigUpdates {

    record Signer(String mspId, TestPki.Credential credential) {}

    private ConfigUpdates() {}

    /**
     * A CONFIG_UPDATE for {@code channel} proposing {@code proposed}, signed by {@code admins}, the
     * envelope created and signed by {@code submitter}.
     */
    static Envelope envelope(String channel, ChannelConfig proposed, List<Signer> admins, Signer submitter) {
        ByteString update = ConfigUpdate.newBuilder().setChannelId(channel).setProposed(proposed).build().toByteString();
        ConfigUpdateEnvelope.Builder data = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update);
        for (Signer admin : admins) {
            data.addSignatures(ConfigSignatures.sign(update, EcdsaSigner.of(admin.credential().keys()),
                    ServiceCluster.serialized(admin.mspId(), admin.credential().certificate())));
        }
        ByteString creator = ServiceCluster.serialized(submitter.mspId(), submitter.credential().certificate());
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.CONFIG_UPDATE)
                .setChannelId(channel)
                .setTxId(TransactionIds.compute(nonce, creator))
                .setCreator(creator)
                .setNonce(nonce)
                .build();
        return Envelopes.seal(header, data.build().toByteString(), EcdsaSigner.of(submitter.credential().keys()));
    }
}
