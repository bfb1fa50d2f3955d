package io.charter.client.cli.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.client.cli.Output;
import io.charter.client.sdk.BlockEvent;
import io.charter.client.sdk.ContractEvent;
import io.charter.client.sdk.ReadConflict;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.MvccConflict;
import io.charter.protocol.TxValidationCode;
import io.charter.protocol.Version;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How {@code charter events} shows a block and a contract event, as a text line and as a JSON line; how the block
 * commands explain an MVCC conflict beside its code.
 */
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
    void anMvccConflictIsExplainedBesideItsCodeAsTextAndJson() {
        Block block = Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(6))
                .setData(BlockData.newBuilder().addEnvelopes(ByteString.EMPTY).addEnvelopes(ByteString.EMPTY))
                .setMetadata(BlockMetadata.newBuilder()
                        .addAllValidationCodes(List.of(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT))
                        .addMvccConflicts(MvccConflict.newBuilder().setTxIndex(1).setNamespace("asset-transfer")
                                .setKey("hot").setReadVersion(Version.newBuilder().setBlockNumber(4).setTxNumber(0))
                                .setCommittedVersion(Version.newBuilder().setBlockNumber(5).setTxNumber(2))))
                .build();
        BlockEvent event = new BlockEvent(6, block);
        assertThat(event.conflict(0)).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> transactions = (List<Map<String, Object>>) BlockCommand.view(event).get("transactions");
        assertThat(transactions.get(0)).doesNotContainKey("conflict");
        assertThat(transactions.get(1).get("conflict")).isEqualTo(Map.of("namespace", "asset-transfer", "key", "hot",
                "readVersion", "4:0", "committedVersion", "5:2", "phantom", false, "explanation",
                "key asset-transfer/hot was read at version 4:0 but was at 5:2 when validated: submit the transaction"
                        + " again"));
        assertThat(BlockCommand.text(event)).contains("MVCC_READ_CONFLICT\n       key asset-transfer/hot was read at"
                + " version 4:0 but was at 5:2 when validated");

        Block absent = block.toBuilder().setMetadata(BlockMetadata.newBuilder()
                .addAllValidationCodes(List.of(TxValidationCode.VALID, TxValidationCode.PHANTOM_READ_CONFLICT))
                .addMvccConflicts(MvccConflict.newBuilder().setTxIndex(1).setNamespace("asset-transfer").setKey("a")))
                .build();
        assertThat(new BlockEvent(6, absent).conflict(1)).hasValueSatisfying(conflict -> {
            assertThat(conflict.phantom()).isTrue();
            assertThat(ConflictView.text(conflict)).isEqualTo("a range read over asset-transfer/a gave other keys when"
                    + " validated than when endorsed: submit the transaction again");
        });
        Block deleted = block.toBuilder().setMetadata(BlockMetadata.newBuilder()
                .addAllValidationCodes(List.of(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT))
                .addMvccConflicts(MvccConflict.newBuilder().setTxIndex(1).setNamespace("asset-transfer").setKey("b")
                        .setReadVersion(Version.newBuilder().setBlockNumber(3).setTxNumber(1))))
                .build();
        assertThat(new BlockEvent(6, deleted).conflict(1)).hasValueSatisfying(conflict -> {
            assertThat(conflict.phantom()).isFalse();
            assertThat(ConflictView.text(conflict)).isEqualTo("key asset-transfer/b was read at version 3:1 but no"
                    + " longer existed when validated: submit the transaction again");
        });
    }

    @Test
    void ledgerDataCannotSendControlCharactersToTheTerminal() {
        ReadConflict composite = new ReadConflict("asset-transfer", "asset\u0000a1\u001b[2J", Optional.empty(),
                Optional.empty(), false);
        assertThat(ConflictView.text(composite)).startsWith("key asset-transfer/asset\\u0000a1\\u001b[2J was read as absent");
        assertThat(ConflictView.json(composite)).containsEntry("key", "asset\u0000a1\u001b[2J");
        ContractEvent event = new ContractEvent(2, "ef".repeat(32), "asset-transfer", "Evil\u001b]0;owned\u0007",
                "\u001b[31mred\u202e".getBytes(StandardCharsets.UTF_8));
        assertThat(EventsCommand.eventText(event)).endsWith("asset-transfer.Evil\\u001b]0;owned\\u0007  \\u001b[31mred\\u202e");
        assertThat(Output.printable("plain é ✓")).isEqualTo("plain é ✓");
    }

    @Test
    void aTextPayloadIsShownAsTextAndAnyOtherAsBase64() {
        ContractEvent text = new ContractEvent(9, "ab".repeat(32), "asset-transfer", "AssetCreated",
                "{\"id\":\"a1\"}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(EventsCommand.eventView(text)).containsEntry("block", 9L).containsEntry("event", "AssetCreated")
                .containsEntry("payload", "{\"id\":\"a1\"}\n").doesNotContainKey("payloadBase64");
        assertThat(EventsCommand.eventText(text)).isEqualTo("block 9  tx " + "ab".repeat(32)
                + "  asset-transfer.AssetCreated  {\"id\":\"a1\"}\\u000a");
        ContractEvent binary = new ContractEvent(9, "cd".repeat(32), "asset-transfer", "Raw", new byte[] {(byte) 0xff, 0});
        assertThat(EventsCommand.eventView(binary)).containsEntry("payloadBase64", "/wA=").doesNotContainKey("payload");
        assertThat(EventsCommand.eventText(binary)).endsWith("asset-transfer.Raw  base64:/wA=");
    }
}
