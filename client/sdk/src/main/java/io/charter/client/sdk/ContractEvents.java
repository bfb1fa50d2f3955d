package io.charter.client.sdk;

import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.protocol.ContractEvent;
import io.charter.protocol.HeaderType;
import io.charter.protocol.ProposalResponsePayload;
import io.charter.protocol.Transaction;
import io.charter.protocol.TransactionAction;
import io.charter.protocol.TxValidationCode;
import java.util.ArrayList;
import java.util.List;

/** Extracts the contract events of a committed block: only from transactions the peer marked VALID. */
final class ContractEvents {

    private ContractEvents() {}

    static List<io.charter.client.sdk.ContractEvent> of(BlockEvent event, String contractName) {
        List<io.charter.client.sdk.ContractEvent> events = new ArrayList<>();
        List<TxValidationCode> codes = event.validationCodes();
        for (int i = 0; i < event.transactionCount(); i++) {
            if (i >= codes.size() || codes.get(i) != TxValidationCode.VALID) {
                continue;
            }
            if (!(Envelopes.unpack(event.block().getData().getEnvelopes(i)) instanceof EnvelopeUnpacking.Unpacked unpacked)) {
                continue;
            }
            var payload = unpacked.envelope().payload();
            if (payload.getHeader().getType() != HeaderType.ENDORSER_TRANSACTION) {
                continue;
            }
            String txId = payload.getHeader().getTxId();
            try {
                for (TransactionAction action : Transaction.parseFrom(payload.getData()).getActionsList()) {
                    ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                            action.getEndorsedAction().getProposalResponsePayload());
                    for (ContractEvent contractEvent : io.charter.protocol.ContractEvents.parseFrom(response.getEvents())
                            .getEventsList()) {
                        if (contractEvent.getContractName().equals(contractName)) {
                            events.add(new io.charter.client.sdk.ContractEvent(event.blockNumber(), txId,
                                    contractEvent.getContractName(), contractEvent.getEventName(),
                                    contractEvent.getPayload().toByteArray()));
                        }
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                // a VALID transaction parsed on the peer; one that does not parse here carries no event we can read
            }
        }
        return events;
    }
}
