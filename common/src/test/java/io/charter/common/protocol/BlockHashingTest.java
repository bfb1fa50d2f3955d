package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.protocol.BlockHeader;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockHashingTest {

    @Test
    void headerEncodingIsNumberThenLengthPrefixedHashes() {
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(0x0102030405060708L)
                .setPreviousHash(ByteString.copyFrom(new byte[] {(byte) 0xaa, (byte) 0xbb}))
                .setDataHash(ByteString.copyFrom(new byte[] {(byte) 0xcc}))
                .build();

        assertThat(HexFormat.of().formatHex(BlockHashing.headerEncoding(header)))
                .isEqualTo("0102030405060708" + "00000002aabb" + "00000001cc");
    }

    @Test
    void headerHashIsSha256OfTheEncoding() throws Exception {
        BlockHeader header = BlockHeader.newBuilder().setNumber(7).setDataHash(ByteString.copyFromUtf8("d")).build();

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(BlockHashing.headerEncoding(header));

        assertThat(BlockHashing.headerHash(header).toByteArray()).isEqualTo(expected);
    }

    @Test
    void dataHashIsSha256OfLengthPrefixedEnvelopes() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest(HexFormat.of().parseHex("00000002" + "6162" + "00000000" + "00000001" + "63"));

        ByteString hash = BlockHashing.dataHash(
                List.of(ByteString.copyFromUtf8("ab"), ByteString.EMPTY, ByteString.copyFromUtf8("c")));

        assertThat(hash.toByteArray()).isEqualTo(expected);
    }

    @Test
    void dataHashOfNoEnvelopesIsSha256OfNothing() throws Exception {
        assertThat(BlockHashing.dataHash(List.of()).toByteArray())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    }

    @Test
    void movingBytesBetweenEnvelopesChangesTheDataHash() {
        ByteString split = BlockHashing.dataHash(List.of(ByteString.copyFromUtf8("ab"), ByteString.copyFromUtf8("c")));
        ByteString shifted = BlockHashing.dataHash(List.of(ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("bc")));
        ByteString joined = BlockHashing.dataHash(List.of(ByteString.copyFromUtf8("abc")));

        assertThat(split).isNotEqualTo(shifted).isNotEqualTo(joined);
        assertThat(shifted).isNotEqualTo(joined);
    }
}
