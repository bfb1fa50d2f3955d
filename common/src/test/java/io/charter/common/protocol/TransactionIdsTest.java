package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class TransactionIdsTest {

    @Test
    void txIdIsLowerCaseHexOfSha256OfNonceThenCreator() {
        qt().withExamples(300)
                .forAll(ProtocolGenerators.byteStrings(Generate.range(0, 40)), ProtocolGenerators.byteStrings())
                .checkAssert((nonce, creator) -> {
                    byte[] input = new byte[nonce.size() + creator.size()];
                    nonce.copyTo(input, 0);
                    creator.copyTo(input, nonce.size());
                    StringBuilder expected = new StringBuilder();
                    for (byte b : sha256(input)) {
                        expected.append(String.format("%02x", b & 0xff));
                    }

                    assertThat(TransactionIds.compute(nonce, creator)).isEqualTo(expected.toString());
                });
    }

    @Test
    void txIdIsDeterministic() {
        qt().forAll(ProtocolGenerators.byteStrings(), ProtocolGenerators.byteStrings()).checkAssert((nonce, creator) ->
                assertThat(TransactionIds.compute(ByteString.copyFrom(nonce.toByteArray()), creator))
                        .isEqualTo(TransactionIds.compute(nonce, creator)));
    }

    @Test
    void differentNoncesOfOneCreatorGiveDifferentIds() {
        var nonces = ProtocolGenerators.byteStrings(Generate.constant(TransactionIds.NONCE_LENGTH));
        qt().forAll(nonces, nonces, ProtocolGenerators.byteStrings()).checkAssert((first, second, creator) -> {
            if (!first.equals(second)) {
                assertThat(TransactionIds.compute(first, creator)).isNotEqualTo(TransactionIds.compute(second, creator));
            }
        });
    }

    @Test
    void generatedNoncesHaveTheDocumentedLengthAndDiffer() {
        ByteString first = TransactionIds.newNonce();
        ByteString second = TransactionIds.newNonce();

        assertThat(first.size()).isEqualTo(24);
        assertThat(second.size()).isEqualTo(24);
        assertThat(first).isNotEqualTo(second);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
