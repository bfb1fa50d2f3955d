package io.charter.peer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.common.protocol.Identifiers;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import io.charter.peer.lifecycle.DefinedContract;
import io.charter.protocol.ContractDefinitionsRequest;
import io.charter.protocol.ContractDefinitionsResponse;
import io.charter.protocol.ContractPolicyOutcome;
import io.charter.protocol.ContractPolicyRequest;
import io.charter.protocol.ContractPolicyResponse;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What clients learn of a channel's contracts, for readers of the channel: {@code peer.ContractPolicy} (a
 * contract's endorsement policy in force) and {@code peer.ContractDefinitions} (every committed definition).
 * An unknown channel is an answer, as for {@code peer.Endorse}, not an error.
 */
public final class ContractHandlers {

    private final ServedChannels channels;

    public ContractHandlers(ServedChannels channels) {
        this.channels = channels;
    }

    /**
     * {@code peer.ContractPolicy}: a contract's endorsement policy in force, for a client planning endorsements:
     * the committed definition's policy (or the channel's Endorsement policy when it names none), its sequence and
     * the channel's organizations. An unknown channel is an answer (as for peer.Endorse); a defined or undefined
     * contract is told only to readers of the channel.
     */
    public CompletableFuture<ByteString> contractPolicy(CallContext call, ByteString body) {
        ContractPolicyRequest request;
        try {
            request = ContractPolicyRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a ContractPolicyRequest");
        }
        if (!Identifiers.isName(request.getContractName())) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "a ContractPolicyRequest needs a contract name of 1 to "
                    + Identifiers.MAX_NAME_LENGTH + " characters: " + Identifiers.quote(request.getContractName()));
        }
        Optional<ServedChannel> found = channels.find(request.getChannelId());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(ContractPolicyResponse.newBuilder()
                    .setOutcome(ContractPolicyOutcome.UNKNOWN_CHANNEL)
                    .setDetail(channels.peerId() + " has not joined channel " + Identifiers.quote(request.getChannelId()))
                    .build().toByteString());
        }
        ServedChannel channel = found.get();
        channels.requireReader(channel, call);
        String name = request.getContractName();
        Optional<DefinedContract> defined = DefinitionRules.isReserved(name) ? Optional.empty()
                : channel.definitions().definition(name);
        if (defined.isEmpty()) {
            return CompletableFuture.completedFuture(ContractPolicyResponse.newBuilder()
                    .setOutcome(ContractPolicyOutcome.UNDEFINED_CONTRACT)
                    .setDetail("channel '" + channel.channelId() + "' has no committed definition of contract '" + name + "'")
                    .build().toByteString());
        }
        DefinedContract contract = defined.get();
        return CompletableFuture.completedFuture(ContractPolicyResponse.newBuilder()
                .setOutcome(ContractPolicyOutcome.DEFINED)
                .setSequence(contract.sequence())
                .setEndorsementPolicy(contract.endorsementPolicy().text())
                .setChannelDefault(contract.definition().getEndorsementPolicy().isEmpty())
                .addAllOrganizations(channel.context().applicationOrganizations())
                .setVersion(contract.definition().getVersion())
                .build().toByteString());
    }

    /**
     * {@code peer.ContractDefinitions}: the channel's committed contract definitions, sorted by name, for readers of
     * the channel. An unknown channel is an answer (not joined), as for peer.Endorse.
     */
    public CompletableFuture<ByteString> contractDefinitions(CallContext call, ByteString body) {
        ContractDefinitionsRequest request;
        try {
            request = ContractDefinitionsRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a ContractDefinitionsRequest");
        }
        Optional<ServedChannel> found = channels.find(request.getChannelId());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(ContractDefinitionsResponse.newBuilder().setJoined(false).build()
                    .toByteString());
        }
        ServedChannel channel = found.get();
        channels.requireReader(channel, call);
        long height = channel.height();
        ContractDefinitionsResponse.Builder response = ContractDefinitionsResponse.newBuilder().setJoined(true)
                .setHeight(height);
        new TreeMap<>(channel.definitions().all()).values()
                .forEach(contract -> response.addDefinitions(contract.definition()));
        return CompletableFuture.completedFuture(response.build().toByteString());
    }
}
