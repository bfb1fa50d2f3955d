package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.Signer;
import io.charter.protocol.Block;
import io.charter.protocol.BlockSignature;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigSignature;
import io.charter.protocol.ConfigUpdate;
import io.charter.protocol.ContractEvent;
import io.charter.protocol.ContractEvents;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.Endorsement;
import io.charter.protocol.Proposal;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.SerializedIdentity;
import io.charter.protocol.SignatureHeader;
import io.charter.protocol.TransactionAction;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedBytesTest {

    private static final KeyPair KEYS = JdkKeys.newKeyPair();
    private static final Signer SIGNER = JdkKeys.signer(KEYS);
    private static final ByteString IDENTITY = JdkKeys.identity("OrdererMSP", KEYS);

    private static Block someBlock(long lastConfigBlock) {
        Block genesis = Blocks.genesisBlock(ChannelConfig.newBuilder().setChannelId("trade").build(), Instant.EPOCH);
        return Blocks.nextBlock(genesis.getHeader(), List.of(ByteString.copyFromUtf8("tx")), lastConfigBlock);
    }

    @Test
    void blockSignedBytesAreLengthPrefixedSignatureHeaderThenHeaderEncodingThenLastConfigBlock() {
        Block block = someBlock(0x0a0b);
        ByteString signatureHeader = ByteString.copyFromUtf8("sh");

        byte[] signed = BlockSignatures.signedBytes(block.getHeader(), 0x0a0b, signatureHeader);

        assertThat(HexFormat.of().formatHex(signed)).isEqualTo("00000002" + "7368"
                + HexFormat.of().formatHex(BlockHashing.headerEncoding(block.getHeader())) + "0000000000000a0b");
    }

    @Test
    void anOrdererSignatureVerifiesWithTheJdkAndNamesTheOrderer() throws Exception {
        Block block = someBlock(0);

        BlockSignature signature = BlockSignatures.sign(block.getHeader(), 0, SIGNER, IDENTITY);

        assertThat(JdkKeys.verify(KEYS.getPublic(), BlockSignatures.signedBytes(block, signature),
                signature.getSignature().toByteArray())).isTrue();
        SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        assertThat(header.getCreator()).isEqualTo(IDENTITY);
        assertThat(header.getNonce().size()).isEqualTo(TransactionIds.NONCE_LENGTH);
    }

    @Test
    void anOrdererSignatureCoversTheHeaderAndTheLastConfigBlock() {
        Block block = someBlock(0);
        BlockSignature signature = BlockSignatures.sign(block.getHeader(), 0, SIGNER, IDENTITY);
        Block withOtherConfig = block.toBuilder()
                .setMetadata(block.getMetadata().toBuilder().setLastConfigBlock(1)).build();
        Block withOtherNumber = block.toBuilder()
                .setHeader(block.getHeader().toBuilder().setNumber(2)).build();

        assertThat(BlockSignatures.verify(block, signature, JdkKeys.VERIFIER, KEYS.getPublic())).isTrue();
        assertThat(BlockSignatures.verify(withOtherConfig, signature, JdkKeys.VERIFIER, KEYS.getPublic())).isFalse();
        assertThat(BlockSignatures.verify(withOtherNumber, signature, JdkKeys.VERIFIER, KEYS.getPublic())).isFalse();
    }

    @Test
    void anEndorsementVerifiesOverThePayloadAndEndorserAsCarried() {
        qt().withExamples(50).forAll(ProtocolGenerators.byteStrings()).checkAssert(payload -> {
            Endorsement endorsement = Endorsements.endorse(payload, SIGNER, IDENTITY);

            assertThat(endorsement.getEndorser()).isEqualTo(IDENTITY);
            assertThat(Endorsements.verify(payload, endorsement, JdkKeys.VERIFIER, KEYS.getPublic())).isTrue();
            assertThat(Endorsements.verify(payload.concat(ByteString.copyFromUtf8("x")), endorsement,
                    JdkKeys.VERIFIER, KEYS.getPublic())).isFalse();
        });
    }

    @Test
    void anEndorsementCannotBeReusedWithTrailingPayloadFieldsMovedIntoTheEndorser() throws Exception {
        ByteString events = ContractEvents.newBuilder()
                .addEvents(ContractEvent.newBuilder().setContractName("assets").setEventName("Transferred"))
                .build().toByteString();
        ByteString withoutEvents = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFromUtf8("h"))
                .setResults(ByteString.copyFromUtf8("r"))
                .build().toByteString();
        ByteString payload = withoutEvents.concat(ProposalResponsePayload.newBuilder().setEvents(events).build().toByteString());
        Endorsement honest = Endorsements.endorse(payload, SIGNER, IDENTITY);
        // The moved bytes are field 3 of ProposalResponsePayload: an unknown field of SerializedIdentity.
        ByteString forgedEndorser = payload.substring(withoutEvents.size()).concat(IDENTITY);
        Endorsement forged = honest.toBuilder().setEndorser(forgedEndorser).build();

        assertThat(withoutEvents.concat(forgedEndorser)).as("a plain payload || endorser would not tell them apart")
                .isEqualTo(payload.concat(IDENTITY));
        assertThat(SerializedIdentity.parseFrom(forgedEndorser).getCertificate())
                .isEqualTo(SerializedIdentity.parseFrom(IDENTITY).getCertificate());
        assertThat(Endorsements.verify(withoutEvents, forged, JdkKeys.VERIFIER, KEYS.getPublic())).isFalse();
    }

    @Test
    void anAdminSignatureVerifiesOverSignatureHeaderThenConfigUpdate() {
        ByteString update = ConfigUpdate.newBuilder()
                .setChannelId("trade")
                .setProposed(ChannelConfig.newBuilder().setChannelId("trade").setSequence(1).putPolicies("Admins", "MAJORITY Admins"))
                .build().toByteString();

        ConfigSignature signature = ConfigSignatures.sign(update, SIGNER, IDENTITY);

        assertThat(JdkKeys.verify(KEYS.getPublic(), ConfigSignatures.signedBytes(signature.getSignatureHeader(), update),
                signature.getSignature().toByteArray())).isTrue();
        assertThat(ConfigSignatures.verify(update, signature, JdkKeys.VERIFIER, KEYS.getPublic())).isTrue();
        assertThat(ConfigSignatures.verify(update.concat(ByteString.copyFromUtf8("x")), signature,
                JdkKeys.VERIFIER, KEYS.getPublic())).isFalse();
    }

    @Test
    void theProposalHashIsTheSameFromTheProposalAndFromTheTransactionAndIgnoresTransientData() throws Exception {
        qt().withExamples(100).forAll(ProtocolGenerators.byteStrings(), ProtocolGenerators.byteStrings(),
                ProtocolGenerators.byteStrings()).checkAssert((header, payload, secret) -> {
            Proposal proposal = Proposal.newBuilder().setHeader(header).setPayload(payload).build();
            Proposal withTransient = proposal.toBuilder().putTransientMap("price", secret).build();
            TransactionAction action = TransactionAction.newBuilder()
                    .setHeader(header)
                    .setEndorsedAction(EndorsedAction.newBuilder().setProposalPayload(payload))
                    .build();
            byte[] input = new byte[4 + header.size() + payload.size()];
            input[0] = (byte) (header.size() >>> 24);
            input[1] = (byte) (header.size() >>> 16);
            input[2] = (byte) (header.size() >>> 8);
            input[3] = (byte) header.size();
            header.copyTo(input, 4);
            payload.copyTo(input, 4 + header.size());

            assertThat(Proposals.hash(proposal).toByteArray()).isEqualTo(sha256(input));
            assertThat(Proposals.hash(withTransient)).isEqualTo(Proposals.hash(proposal));
            assertThat(Proposals.hash(action)).isEqualTo(Proposals.hash(proposal));
        });
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
