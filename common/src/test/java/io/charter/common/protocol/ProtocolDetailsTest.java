package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.pki.Role;
import io.charter.common.testing.ConfigUpdates;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.HeaderType;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Envelope;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte-level details of the signed and hashed encodings that no round trip notices (a round trip
 * reads what it wrote, even when both are wrong), and the limits of names and messages.
 */
class ProtocolDetailsTest {

    @Test
    void canonicalIntegersAreBigEndianOverEveryByte() {
        byte[] bytes = CanonicalBytes.withCapacity(0).uint32(0x01020304).uint64(0x05060708090A0B0CL).toByteArray();

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("01020304" + "05060708090a0b0c");
    }

    @Test
    void canonicalIntegersGrowTheBufferToo() {
        byte[] bytes = CanonicalBytes.withCapacity(0).uint64(1).uint64(2).uint64(3).uint32(4).uint32(5).toByteArray();

        assertThat(bytes).isEqualTo(ByteBuffer.allocate(32).putLong(1).putLong(2).putLong(3).putInt(4).putInt(5).array());
    }

    @Test
    void canonicalBytesGrowPastTheirExpectedSize() {
        byte[] part = new byte[40];
        for (int i = 0; i < part.length; i++) {
            part[i] = (byte) i;
        }

        byte[] bytes = CanonicalBytes.withCapacity(1)
                .raw(part).raw(ByteString.copyFrom(part)).lengthPrefixed(ByteString.copyFrom(part, 0, 3))
                .uint64(-1L).toByteArray();

        ByteBuffer expected = ByteBuffer.allocate(40 + 40 + 4 + 3 + 8).put(part).put(part).putInt(3).put(part, 0, 3).putLong(-1L);
        assertThat(bytes).isEqualTo(expected.array());
    }

    @Test
    void dataHashPrefixesEachEnvelopeWithItsFullFourByteLength() throws Exception {
        ByteString large = ByteString.copyFrom(new byte[0x01020304]); // every byte of its length differs

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(new byte[] {1, 2, 3, 4});
        sha.update(large.toByteArray());

        assertThat(BlockHashing.dataHash(List.of(large)).toByteArray()).isEqualTo(sha.digest());
    }

    @Test
    void anEndGroupTagDoesNotEndTheMessageEarly() throws Exception {
        // payload "A", then an END_GROUP tag (field 1, wire type 4), then payload "B": a parser that stopped at
        // the tag would return an envelope with payload "A" and ignore the rest
        ByteString bytes = ByteString.copyFrom(new byte[] {0x0A, 0x01, 'A', 0x0C, 0x0A, 0x01, 'B'});

        assertThatThrownBy(() -> Parsing.parse(Envelope.parser(), bytes)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThat(Parsing.parse(Envelope.parser(), ByteString.copyFrom(new byte[] {0x0A, 0x01, 'A'})).getPayload())
                .isEqualTo(ByteString.copyFromUtf8("A"));
    }

    @Test
    void namesAreLimitedTo255CharactersAndQuotesCutPast80() {
        assertThat(Identifiers.isName("n".repeat(255))).isTrue();
        assertThat(Identifiers.isName("n".repeat(256))).isFalse();
        assertThat(Identifiers.isName("")).isFalse();
        assertThat(Identifiers.quote("q".repeat(80))).isEqualTo("'" + "q".repeat(80) + "'");
        assertThat(Identifiers.quote("q".repeat(81))).isEqualTo("'" + "q".repeat(80) + "...' (81 characters)");
    }

    @Test
    void aBrokenLinkShowsBothHashesAndAnEmptyOneAsSuch() {
        Block genesis = Blocks.genesisBlock(ChannelConfig.newBuilder().setChannelId("ch").build(), Instant.now());
        Block next = Blocks.nextBlock(genesis.getHeader(), List.of(ByteString.copyFromUtf8("tx")), 0);
        Block unlinked = next.toBuilder().setHeader(next.getHeader().toBuilder().setPreviousHash(ByteString.EMPTY)).build();

        ChainVerdict verdict = ChainVerifier.verifyFromGenesis(List.of(genesis, unlinked));

        assertThat(verdict.isIntact()).isFalse();
        assertThat(((ChainVerdict.Broken) verdict).detail()).contains("links to (empty) but its predecessor hashes to "
                + HexFormat.of().formatHex(BlockHashing.headerHash(genesis.getHeader()).toByteArray()));
        assertThat(ChainVerifier.verifyFromGenesis(List.of(genesis, next)).isIntact()).isTrue();
    }

    @Test
    void unpackedEnvelopesAreEqualWhenTheirEnvelopesAre() throws Exception {
        TestPki pki = TestPki.create("Org1MSP");
        Envelope envelope = ConfigUpdates.envelope("ch", HeaderType.ENDORSER_TRANSACTION, ByteString.copyFromUtf8("data"),
                new ConfigUpdates.Signer("Org1MSP", pki.organization("Org1MSP").enroll("alice", Role.CLIENT)));
        UnpackedEnvelope one = ((EnvelopeUnpacking.Unpacked) Envelopes.unpack(envelope)).envelope();
        UnpackedEnvelope same = ((EnvelopeUnpacking.Unpacked) Envelopes.unpack(envelope.toByteString())).envelope();
        UnpackedEnvelope other = ((EnvelopeUnpacking.Unpacked) Envelopes.unpack(
                envelope.toBuilder().setSignature(ByteString.copyFromUtf8("x")).build())).envelope();

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other).isNotEqualTo(envelope);
        assertThat(one.toString()).startsWith("UnpackedEnvelope[type=ENDORSER_TRANSACTION, channel=ch, txId=")
                .endsWith(", creator=Org1MSP]");
    }
}
