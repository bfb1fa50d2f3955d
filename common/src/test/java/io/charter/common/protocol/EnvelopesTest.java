package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.Signer;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import java.security.KeyPair;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class EnvelopesTest {

    private static final KeyPair KEYS = JdkKeys.newKeyPair();
    private static final Signer SIGNER = JdkKeys.signer(KEYS);
    private static final ByteString CREATOR = JdkKeys.identity("Org1MSP", KEYS);

    private static Gen<PayloadHeader> headersByOurCreator() {
        return ProtocolGenerators.payloadHeaders(Generate.constant(CREATOR));
    }

    @Test
    void aSealedEnvelopeUnpacksToItsHeaderDataAndCreator() {
        qt().withExamples(100).forAll(headersByOurCreator(), ProtocolGenerators.byteStrings()).checkAssert((header, data) -> {
            Envelope envelope = Envelopes.seal(header, data, SIGNER);

            UnpackedEnvelope unpacked = unpacked(Envelopes.unpack(envelope.toByteString()));

            assertThat(unpacked.header()).isEqualTo(header);
            assertThat(unpacked.data()).isEqualTo(data);
            assertThat(unpacked.creatorBytes()).isEqualTo(CREATOR);
            assertThat(unpacked.creator().getMspId()).isEqualTo("Org1MSP");
            assertThat(unpacked.envelope()).isEqualTo(envelope);
        });
    }

    @Test
    void theSignatureVerifiesWithTheJdkOverTheExactCarriedPayloadBytes() {
        qt().withExamples(100).forAll(headersByOurCreator(), ProtocolGenerators.byteStrings()).checkAssert((header, data) -> {
            Envelope envelope = Envelopes.seal(header, data, SIGNER);
            UnpackedEnvelope unpacked = unpacked(Envelopes.unpack(envelope.toByteString()));

            assertThat(unpacked.signedBytes()).isEqualTo(envelope.getPayload());
            assertThat(JdkKeys.verify(KEYS.getPublic(), envelope.getPayload().toByteArray(),
                    envelope.getSignature().toByteArray())).isTrue();
            assertThat(unpacked.verifySignature(JdkKeys.VERIFIER, KEYS.getPublic())).isTrue();
        });
    }

    @Test
    void aSignatureOverNonCanonicalPayloadBytesVerifiesAgainstThoseBytesOnly() {
        // Fields in reverse order plus an unknown field: valid protobuf that re-serializes differently.
        PayloadHeader header = PayloadHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION).setChannelId("trade").setCreator(CREATOR).build();
        ByteString data = ByteString.copyFromUtf8("data");
        ByteString payload = Payload.newBuilder().setData(data).build().toByteString()
                .concat(Payload.newBuilder().setHeader(header).build().toByteString())
                .concat(ByteString.copyFrom(HexFormat.of().parseHex("f8070a"))); // field 127, varint 10
        Envelope envelope = Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(SIGNER.sign(payload.toByteArray())))
                .build();

        UnpackedEnvelope unpacked = unpacked(Envelopes.unpack(envelope.toByteString()));

        assertThat(unpacked.payload().toByteString()).isNotEqualTo(payload);
        assertThat(unpacked.verifySignature(JdkKeys.VERIFIER, KEYS.getPublic())).isTrue();
        assertThat(JdkKeys.verify(KEYS.getPublic(), unpacked.payload().toByteArray(),
                unpacked.signature().toByteArray())).isFalse();
    }

    @Test
    void aTamperedPayloadByteFailsVerification() {
        qt().withExamples(100).forAll(headersByOurCreator(), ProtocolGenerators.byteStrings(), integers())
                .checkAssert((header, data, choice) -> {
                    Envelope envelope = Envelopes.seal(header, data, SIGNER);
                    byte[] payload = envelope.getPayload().toByteArray();
                    payload[choice % payload.length] ^= 0x01;
                    Envelope tampered = envelope.toBuilder().setPayload(ByteString.copyFrom(payload)).build();

                    if (Envelopes.unpack(tampered) instanceof EnvelopeUnpacking.Unpacked(UnpackedEnvelope unpacked)) {
                        assertThat(unpacked.verifySignature(JdkKeys.VERIFIER, KEYS.getPublic())).isFalse();
                    }
                });
    }

    @Test
    void arbitraryBytesNeverThrowAndUnparsableOnesAreMalformedEnvelopes() {
        qt().withExamples(500).forAll(ProtocolGenerators.byteStrings()).checkAssert(bytes -> {
            EnvelopeUnpacking result = Envelopes.unpack(bytes);
            if (!parsesAsEnvelope(bytes)) {
                assertThat(error(result)).isEqualTo(EnvelopeError.MALFORMED_ENVELOPE);
            } else if (result instanceof EnvelopeUnpacking.Malformed malformed) {
                assertThat(malformed.error()).isNotEqualTo(EnvelopeError.MALFORMED_ENVELOPE);
            }
        });
    }

    @Test
    void aLengthBeyondTheEndOfInputIsAMalformedEnvelope() {
        ByteString bytes = ByteString.copyFrom(HexFormat.of().parseHex("0a0501"));

        assertThat(error(Envelopes.unpack(bytes))).isEqualTo(EnvelopeError.MALFORMED_ENVELOPE);
    }

    @Test
    void anEnvelopeCutInsideItsSignatureIsMalformed() {
        qt().withExamples(100).forAll(headersByOurCreator(), ProtocolGenerators.byteStrings(), integers())
                .checkAssert((header, data, choice) -> {
                    Envelope envelope = Envelopes.seal(header, data, SIGNER);
                    ByteString bytes = envelope.toByteString();
                    // The signature (field 2: tag, length, DER bytes) is serialized last. Cutting off
                    // anything short of the whole field leaves a tag without length, or a length
                    // running past the end.
                    int signatureFieldSize = Envelope.newBuilder()
                            .setSignature(envelope.getSignature()).build().getSerializedSize();
                    int cut = 1 + choice % (signatureFieldSize - 1);
                    ByteString truncated = bytes.substring(0, bytes.size() - cut);

                    assertThat(error(Envelopes.unpack(truncated))).isEqualTo(EnvelopeError.MALFORMED_ENVELOPE);
                });
    }

    @Test
    void aTruncatedPayloadIsAMalformedPayload() {
        qt().withExamples(200)
                .forAll(headersByOurCreator(), ProtocolGenerators.nonEmptyByteStrings(2000), integers())
                .checkAssert((header, data, choice) -> {
                    ByteString payload = Payload.newBuilder().setHeader(header).setData(data).build().toByteString();
                    // data (field 2) is serialized last; cutting into its contents breaks its length.
                    ByteString truncated = payload.substring(0, payload.size() - (1 + choice % data.size()));

                    assertThat(error(Envelopes.unpack(envelopeCarrying(truncated))))
                            .isEqualTo(EnvelopeError.MALFORMED_PAYLOAD);
                });
    }

    @Test
    void aPayloadWithoutHeaderIsMissingItsHeader() {
        qt().withExamples(100).forAll(ProtocolGenerators.byteStrings()).checkAssert(data -> {
            ByteString payload = Payload.newBuilder().setData(data).build().toByteString();

            assertThat(error(Envelopes.unpack(envelopeCarrying(payload)))).isEqualTo(EnvelopeError.MISSING_HEADER);
        });
    }

    @Test
    void anEmptyPayloadIsMissingItsHeader() {
        assertThat(error(Envelopes.unpack(envelopeCarrying(ByteString.EMPTY)))).isEqualTo(EnvelopeError.MISSING_HEADER);
    }

    @Test
    void creatorBytesThatAreNotAnIdentityAreAMalformedCreator() {
        Gen<ByteString> unparsableCreators = ProtocolGenerators.nonEmptyByteStrings(200)
                .map(bytes -> parsesAsIdentity(bytes) ? bytes.concat(ByteString.copyFrom(new byte[] {0x0a, 0x7f})) : bytes);
        qt().withExamples(200).forAll(ProtocolGenerators.payloadHeaders(unparsableCreators)).checkAssert(header ->
                assertThat(error(Envelopes.unpack(Envelopes.seal(header, ByteString.EMPTY, SIGNER))))
                        .isEqualTo(EnvelopeError.MALFORMED_CREATOR));
    }

    @Test
    void anAbsentOrIncompleteCreatorIsAMissingCreator() {
        for (ByteString creator : new ByteString[] {
            ByteString.EMPTY,
            SerializedIdentity.newBuilder().setMspId("Org1MSP").build().toByteString(),
            SerializedIdentity.newBuilder().setCertificate(ByteString.copyFromUtf8("cert")).build().toByteString()
        }) {
            PayloadHeader header = PayloadHeader.newBuilder().setChannelId("trade").setCreator(creator).build();

            assertThat(error(Envelopes.unpack(Envelopes.seal(header, ByteString.EMPTY, SIGNER))))
                    .isEqualTo(EnvelopeError.MISSING_CREATOR);
        }
    }

    private static Gen<Integer> integers() {
        return org.quicktheories.generators.SourceDSL.integers().allPositive();
    }

    private static Envelope envelopeCarrying(ByteString payload) {
        return Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(SIGNER.sign(payload.toByteArray())))
                .build();
    }

    private static UnpackedEnvelope unpacked(EnvelopeUnpacking result) {
        assertThat(result).isInstanceOf(EnvelopeUnpacking.Unpacked.class);
        return ((EnvelopeUnpacking.Unpacked) result).envelope();
    }

    private static EnvelopeError error(EnvelopeUnpacking result) {
        assertThat(result).isInstanceOf(EnvelopeUnpacking.Malformed.class);
        return ((EnvelopeUnpacking.Malformed) result).error();
    }

    private static boolean parsesAsEnvelope(ByteString bytes) {
        try {
            Envelope.parseFrom(bytes);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static boolean parsesAsIdentity(ByteString bytes) {
        try {
            SerializedIdentity.parseFrom(bytes);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }
}
