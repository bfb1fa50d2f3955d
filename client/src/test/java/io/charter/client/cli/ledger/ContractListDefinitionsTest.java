package io.charter.client.cli.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.client.sdk.BlockEvent;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.ContractDefinition;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.EndorsedAction;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import io.charter.protocol.TxValidationCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code contract list} takes from a committed block: the definitions of valid CONTRACT_DEFINITION transactions. */
class ContractListDefinitionsTest {

    private static final ContractDefinition V1 = ContractDefinition.newBuilder().setName("asset-transfer").setVersion("1.0")
            .setSequence(1).setEndorsementPolicy("AND('Org1MSP.peer','Org2MSP.peer')").build();
    private static final ContractDefinition V2 = V1.toBuilder().setVersion("2.0").setSequence(2).build();

    @Test
    void takesTheDefinitionsOfValidDefinitionTransactionsOnly() {
        Block block = Block.newBuilder()
                .setData(BlockData.newBuilder()
                        .addEnvelopes(envelope(HeaderType.CONTRACT_DEFINITION, "_lifecycle", V1.toByteString()))
                        .addEnvelopes(envelope(HeaderType.CONTRACT_DEFINITION, "_lifecycle", V2.toByteString()))
                        .addEnvelopes(envelope(HeaderType.ENDORSER_TRANSACTION, "asset-transfer", V2.toByteString()))
                        .addEnvelopes(ByteString.copyFromUtf8("not an envelope")))
                .setMetadata(BlockMetadata.newBuilder().addAllValidationCodes(List.of(TxValidationCode.VALID,
                        TxValidationCode.BAD_CONTRACT_DEFINITION, TxValidationCode.VALID, TxValidationCode.VALID)))
                .build();
        assertThat(ContractListCommand.definitions(new BlockEvent(3, block))).containsExactly(V1);
    }

    @Test
    void aCommitYieldsItsWrittenDefinitionWithItsApproversAndAnApprovalYieldsNothing() {
        ContractDefinition written = V2.toBuilder().addApprovedBy("Org1MSP").addApprovedBy("Org2MSP").build();
        io.charter.protocol.TxReadWriteSet rwset = io.charter.protocol.TxReadWriteSet.newBuilder()
                .addNamespaces(io.charter.protocol.NamespaceReadWriteSet.newBuilder().setNamespace("_lifecycle")
                        .addWrites(io.charter.protocol.KeyWrite.newBuilder().setKey("definitions/asset-transfer")
                                .setValue(written.toByteString())))
                .build();
        Block block = Block.newBuilder()
                .setData(BlockData.newBuilder()
                        .addEnvelopes(envelope(HeaderType.CONTRACT_DEFINITION, "approve", List.of(V2.toByteString(),
                                ByteString.copyFromUtf8("Org1MSP")), io.charter.protocol.TxReadWriteSet.getDefaultInstance()))
                        .addEnvelopes(envelope(HeaderType.CONTRACT_DEFINITION, "commit", List.of(V2.toByteString()), rwset)))
                .setMetadata(BlockMetadata.newBuilder().addAllValidationCodes(List.of(TxValidationCode.VALID,
                        TxValidationCode.VALID)))
                .build();

        assertThat(ContractListCommand.definitions(new BlockEvent(4, block))).containsExactly(written);
    }

    @Test
    void aBlockWithoutValidationCodesYieldsNothing() {
        Block block = Block.newBuilder().setData(BlockData.newBuilder()
                .addEnvelopes(envelope(HeaderType.CONTRACT_DEFINITION, "_lifecycle", V1.toByteString()))).build();
        assertThat(ContractListCommand.definitions(new BlockEvent(3, block))).isEmpty();
    }

    private static ByteString envelope(HeaderType type, String contract, ByteString argument) {
        ContractInvocation invocation = ContractInvocation.newBuilder().setContractName(contract).setFunction("define")
                .addArgs(argument).build();
        Transaction transaction = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setEndorsedAction(EndorsedAction.newBuilder().setProposalPayload(invocation.toByteString()))).build();
        Payload payload = Payload.newBuilder().setHeader(PayloadHeader.newBuilder().setType(type).setTxId("tx"))
                .setData(transaction.toByteString()).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build().toByteString();
    }

    private static ByteString envelope(HeaderType type, String function, List<ByteString> args,
                                       io.charter.protocol.TxReadWriteSet rwset) {
        ContractInvocation invocation = ContractInvocation.newBuilder().setContractName("_lifecycle").setFunction(function)
                .addAllArgs(args).build();
        ByteString response = io.charter.protocol.ProposalResponsePayload.newBuilder().setResults(rwset.toByteString())
                .build().toByteString();
        Transaction transaction = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setEndorsedAction(EndorsedAction.newBuilder().setProposalPayload(invocation.toByteString())
                        .setProposalResponsePayload(response))).build();
        Payload payload = Payload.newBuilder().setHeader(PayloadHeader.newBuilder().setType(type).setTxId("tx"))
                .setData(transaction.toByteString()).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build().toByteString();
    }
}
