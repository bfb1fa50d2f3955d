package io.charter.client.cli.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.client.sdk.BlockEvent;
import io.charter.client.sdk.ContractEvent;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.TxValidationCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code charter events} shows a block and a contract event, as a text line and as a JSON line. */
class EventsViewTest {

    @Test
    void aBlockLineCountsItsTransactionsByValidationCode() {
        Block block = Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(4).setDataHash(ByteString.copyFrom(new byte[] {0x0a, 0x0b})))
                .setData(BlockData.newBuilder().addEnvelopes(ByteString.EMPTY).addEnvelopes(ByteString.EMPTY)
                        .addEnvelopes(ByteString.EMPTY))
                .setMetadata(BlockMetadata.newBuilder().addAllValidationCodes(List.of(TxValidationCode.VALID,
                        TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.VALID)))
                .build();
        assertThat(EventsCommand.blockText(new BlockEvent(4, block)))
                .isEqualTo("block 4  3 transaction(s) (1 MVCC_READ_CONFLICT, 2 VALID)  data hash 0a0b");
        assertThat(EventsCommand.blockView(new BlockEvent(4, block))).containsEntry("number", 4L)
                .containsEntry("dataHash", "0a0b").containsKey("transactions");
    }

    @Test
    void aTextPayloadIsShownAsTextAndAnyOtherAsBase64() {
        ContractEvent text = new ContractEvent(9, "ab".repeat(32), "asset-transfer", "AssetCreated",
                "{\"id\":\"a1\"}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(EventsCommand.eventView(text)).containsEntry("block", 9L).containsEntry("event", "AssetCreated")
                .containsEntry("payload", "{\"id\":\"a1\"}\n").doesNotContainKey("payloadBase64");
        assertThat(EventsCommand.eventText(text)).isEqualTo("block 9  tx " + "ab".repeat(32)
                + "  asset-transfer.AssetCreated  {\"id\":\"a1\"}\\n");
        ContractEvent binary = new ContractEvent(9, "cd".repeat(32), "asset-transfer", "Raw", new byte[] {(byte) 0xff, 0});
        assertThat(EventsCommand.eventView(binary)).containsEntry("payloadBase64", "/wA=").doesNotContainKey("payload");
        assertThat(EventsCommand.eventText(binary)).endsWith("asset-transfer.Raw  base64:/wA=");
    }
}
