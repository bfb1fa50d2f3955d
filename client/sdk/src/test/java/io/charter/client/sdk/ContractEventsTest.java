package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.pki.Role;
import io.charter.common.protocol.Endorsements;
import io.charter.common.protocol.Proposals;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.BlockData;
import io.charter.protocol.BlockHeader;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.ContractEvent;
import io.charter.protocol.ContractEvents;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.TxValidationCode;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractEventsTest {

    private static final TestPki PKI = TestPki.create("Org1");
    private static final Identity CLIENT = TestNetworkPki.identity(PKI, "Org1", "client", Role.CLIENT);
    private static final TestPki.Credential PEER = TestNetworkPki.peerCredential(PKI, "Org1", "peer0");

    private final SignedProposalBuilder builder = new SignedProposalBuilder(CLIENT, Clock.systemUTC());

    private record Tx(String txId, ByteString envelope) {}

    private Tx tx(ContractEvent... events) {
        SignedProposalBuilder.Proposed proposed = builder.invoke("trade", "assets", Invocation.of("Put"));
        ByteString payload = ProposalResponsePayload.newBuilder().setProposalHash(Proposals.hash(proposed.proposal()))
                .setEvents(ContractEvents.newBuilder().addAllEvents(List.of(events)).build().toByteString())
                .build().toByteString();
        var endorsement = Endorsements.endorse(payload, EcdsaSigner.of(PEER.keys()), TestNetworkPki.serialized("Org1", PEER));
        return new Tx(proposed.txId(), builder.envelope(proposed, payload, List.of(endorsement)).toByteString());
    }

    private static ContractEvent event(String contract, String name, String payload) {
        return ContractEvent.newBuilder().setContractName(contract).setEventName(name)
                .setPayload(ByteString.copyFromUtf8(payload)).build();
    }

    @Test
    void onlyTheEventsOfTheContractInValidTransactionsAreReturnedWithTheirTxAndBlock() {
        Tx valid = tx(event("assets", "Created", "a1"), event("other", "Noise", "x"), event("assets", "Priced", "a1:5"));
        Tx invalid = tx(event("assets", "Created", "a2"));
        Block block = Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(7))
                .setData(BlockData.newBuilder().addEnvelopes(valid.envelope()).addEnvelopes(invalid.envelope()))
                .setMetadata(BlockMetadata.newBuilder().addValidationCodes(TxValidationCode.VALID)
                        .addValidationCodes(TxValidationCode.MVCC_READ_CONFLICT))
                .build();

        List<io.charter.client.sdk.ContractEvent> events =
                io.charter.client.sdk.ContractEvents.of(new BlockEvent(7, block), "assets");

        assertThat(events).extracting(io.charter.client.sdk.ContractEvent::eventName).containsExactly("Created", "Priced");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.blockNumber()).isEqualTo(7);
            assertThat(e.txId()).isEqualTo(valid.txId());
            assertThat(e.contractName()).isEqualTo("assets");
        });
        assertThat(events.getFirst().payloadText()).isEqualTo("a1");
    }

    @Test
    void aBlockNotYetValidatedYieldsNoEvents() {
        Tx valid = tx(event("assets", "Created", "a1"));
        Block block = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(3))
                .setData(BlockData.newBuilder().addEnvelopes(valid.envelope())).build();

        assertThat(io.charter.client.sdk.ContractEvents.of(new BlockEvent(3, block), "assets")).isEmpty();
    }
}
