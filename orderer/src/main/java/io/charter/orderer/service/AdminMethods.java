package io.charter.orderer.service;

import io.charter.common.admin.AdminCaller;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.admin.AdminEnvelopeException;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.common.logging.LogSpec;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.TransportServer;
import io.charter.orderer.channel.ChannelInfo;
import io.charter.orderer.administration.AdminRefusal;
import io.charter.orderer.administration.AdminRefusedException;
import io.charter.orderer.administration.OrdererAdministration;
import io.charter.protocol.LogSpecResponse;
import io.charter.protocol.OrdererAdminRequest;
import io.charter.protocol.OrdererChannel;
import io.charter.protocol.OrdererChannelsResponse;
import io.charter.protocol.OrdererJoinChannelResponse;
import io.charter.protocol.OrdererLeaveChannelResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The transport's administration methods ({@link OrdererMethods#JOIN_CHANNEL}, {@link OrdererMethods#CHANNELS},
 * {@link OrdererMethods#LOG_SPEC}, {@code orderer.LeaveChannel}):
 * each opens the signed ORDERER_ADMIN request ({@link SignedAdminEnvelopes}), authorizes its creator together with
 * the connection's TLS certificate, remembers its tx id against replays and runs the {@link OrdererAdministration}
 * operation. A refusal is an error frame whose message starts with its {@link AdminRefusal} name.
 */
public final class AdminMethods {

    private final OrdererAdministration administration;
    private final SignedAdminEnvelopes requests;

    public AdminMethods(OrdererAdministration administration, SignedAdminEnvelopes requests) {
        this.administration = administration;
        this.requests = requests;
    }

    /** Registers the methods on a transport server being built. */
    public TransportServer.Builder registerOn(TransportServer.Builder server) {
        return server
                .unary(OrdererMethodNames.JOIN_CHANNEL, OrdererMethods.access(OrdererMethodNames.JOIN_CHANNEL), this::joinChannel)
                .unary(OrdererMethodNames.CHANNELS, OrdererMethods.access(OrdererMethodNames.CHANNELS), this::channels)
                .unary(OrdererMethodNames.LOG_SPEC, OrdererMethods.access(OrdererMethodNames.LOG_SPEC), this::logSpec)
                .unary(OrdererMethodNames.LEAVE_CHANNEL, OrdererMethods.access(OrdererMethodNames.LEAVE_CHANNEL),
                        this::leaveChannel);
    }

    private record Request(AdminCaller caller, String txId, OrdererAdminRequest body) {}

    private CompletableFuture<ByteString> joinChannel(CallContext call, ByteString body) {
        try {
            Request request = open(call, body, OrdererAdminRequest.RequestCase.JOIN_CHANNEL);
            // checked and authorized before the tx id is remembered, so that no one else can use it up
            OrdererAdministration.CheckedJoin checked = administration.check(request.caller(),
                    request.body().getJoinChannel().getGenesisBlock().toByteArray());
            accept(request.txId());
            OrdererAdministration.Join join = administration.join(checked);
            return CompletableFuture.completedFuture(OrdererJoinChannelResponse.newBuilder()
                    .setChannel(proto(join.channel())).setAlreadyJoined(join.alreadyJoined()).build().toByteString());
        } catch (AdminRefusedException e) {
            throw e.toTransport();
        }
    }

    private CompletableFuture<ByteString> leaveChannel(CallContext call, ByteString body) {
        try {
            Request request = open(call, body, OrdererAdminRequest.RequestCase.LEAVE_CHANNEL);
            // checked and authorized before the tx id is remembered, as for a join
            OrdererAdministration.CheckedLeave checked = administration.checkLeave(request.caller(),
                    request.body().getLeaveChannel().getChannelId());
            accept(request.txId());
            OrdererAdministration.Leave left = administration.leave(checked, request.body().getLeaveChannel().getRemoveData());
            return CompletableFuture.completedFuture(OrdererLeaveChannelResponse.newBuilder()
                    .setChannelId(left.channelId()).setHeight(left.height()).setDataRemoved(left.dataRemoved())
                    .build().toByteString());
        } catch (AdminRefusedException e) {
            throw e.toTransport();
        }
    }

    private CompletableFuture<ByteString> channels(CallContext call, ByteString body) {
        try {
            Request request = open(call, body, OrdererAdminRequest.RequestCase.CHANNELS);
            OrdererChannelsResponse.Builder response = OrdererChannelsResponse.newBuilder();
            administration.channels(request.caller()).forEach(c -> response.addChannels(proto(c)));
            accept(request.txId());
            return CompletableFuture.completedFuture(response.build().toByteString());
        } catch (AdminRefusedException e) {
            throw e.toTransport();
        }
    }

    private CompletableFuture<ByteString> logSpec(CallContext call, ByteString body) {
        try {
            Request request = open(call, body, OrdererAdminRequest.RequestCase.LOG_SPEC);
            String spec = request.body().getLogSpec().getSpec();
            // authorized (and the spec checked) before the tx id is remembered, as for a join
            LogSpec inForce = administration.logSpec(request.caller(), spec.isEmpty() ? Optional.empty() : Optional.of(spec));
            accept(request.txId());
            return CompletableFuture.completedFuture(LogSpecResponse.newBuilder().setSpec(inForce.toString()).build()
                    .toByteString());
        } catch (AdminRefusedException e) {
            throw e.toTransport();
        }
    }

    private Request open(CallContext call, ByteString body, OrdererAdminRequest.RequestCase expected) {
        SignedAdminEnvelopes.Opened opened;
        try {
            opened = requests.open(body);
        } catch (AdminEnvelopeException e) {
            throw refusal(e);
        }
        OrdererAdminRequest request;
        try {
            request = OrdererAdminRequest.parseFrom(opened.data());
        } catch (InvalidProtocolBufferException e) {
            throw new AdminRefusedException(AdminRefusal.MALFORMED_REQUEST, "the request's data is not an OrdererAdminRequest");
        }
        if (request.getRequestCase() != expected) {
            throw new AdminRefusedException(AdminRefusal.MALFORMED_REQUEST, "the request is a " + request.getRequestCase()
                    + " request, but the method called takes " + expected);
        }
        return new Request(new AdminCaller(call.peerCertificate(), Optional.of(opened.creator())), opened.txId(), request);
    }

    private void accept(String txId) {
        try {
            requests.accept(txId);
        } catch (AdminEnvelopeException e) {
            throw refusal(e);
        }
    }

    private static AdminRefusedException refusal(AdminEnvelopeException e) {
        return new AdminRefusedException(AdminRefusal.valueOf(e.problem().name()), e.getMessage());
    }

    private static OrdererChannel proto(ChannelInfo info) {
        return OrdererChannel.newBuilder().setChannelId(info.channelId()).setHeight(info.height())
                .setLeader(info.leader() == null ? "" : info.leader()).setRole(info.role() == null ? "" : info.role()).build();
    }
}
