package io.charter.peer.service;

import com.google.protobuf.ByteString;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.UnaryHandler;
import io.charter.peer.endorsement.EndorsementStats;
import io.charter.peer.endorsement.Endorser;
import java.util.concurrent.CompletableFuture;

/**
 * {@code peer.Endorse}: the body is a serialized SignedProposal, the answer a serialized ProposalResponse,
 * endorsed or not. A refusal or a failed contract is an answer (its status and reason code in the response),
 * not a transport error; the endorser authenticates the creator. Every outcome is counted.
 */
public final class EndorseHandler implements UnaryHandler {

    private final Endorser endorser;
    private final EndorsementStats stats;

    public EndorseHandler(Endorser endorser, EndorsementStats stats) {
        this.endorser = endorser;
        this.stats = stats;
    }

    @Override
    public CompletableFuture<ByteString> handle(CallContext call, ByteString request) {
        return CompletableFuture.completedFuture(stats.record(endorser.endorse(request)).response().toByteString());
    }
}
