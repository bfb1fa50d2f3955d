package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void aComputedTransactionIdIsWellFormedAndNothingElseOfItsLengthIs() {
        String txId = TransactionIds.compute(TransactionIds.newNonce(), ByteString.copyFromUtf8("creator"));
        assertThat(Identifiers.isTxId(txId)).isTrue();
        assertThat(Identifiers.isTxId(txId.toUpperCase())).isFalse();
        assertThat(Identifiers.isTxId(txId.substring(1))).isFalse();
        assertThat(Identifiers.isTxId(txId + "0")).isFalse();
        assertThat(Identifiers.isTxId("g" + txId.substring(1))).isFalse();
        assertThat(Identifiers.isTxId("x".repeat(8_000_000))).isFalse();
    }

    @Test
    void channelIdsAreBoundedAndShaped() {
        assertThat(Identifiers.isChannelId("mychannel")).isTrue();
        assertThat(Identifiers.isChannelId("a".repeat(249))).isTrue();
        assertThat(Identifiers.isChannelId("a".repeat(250))).isFalse();
        assertThat(Identifiers.isChannelId("")).isFalse();
        assertThat(Identifiers.isChannelId("My")).isFalse();
        assertThat(Identifiers.isChannelId("-a")).isFalse();
    }

    @Test
    void namesAreBoundedAndQuotesAreShort() {
        assertThat(Identifiers.isName("asset-transfer")).isTrue();
        assertThat(Identifiers.isName("")).isFalse();
        assertThat(Identifiers.isName("n".repeat(256))).isFalse();
        assertThat(Identifiers.quote("abc")).isEqualTo("'abc'");
        assertThat(Identifiers.quote("z".repeat(1_000_000))).hasSizeLessThan(120).contains("(1000000 characters)");
    }
}
