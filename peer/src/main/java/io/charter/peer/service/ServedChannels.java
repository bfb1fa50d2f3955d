package io.charter.peer.service;

import io.charter.common.protocol.Identifiers;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The peer's joined channels as its handlers find them, and the checks the handlers make on a channel
 * after the transport's access table: the caller of an organization-peer method must be a peer of this
 * peer's organization there, the caller of a client method a reader of the channel ({@code PERMISSION_DENIED}).
 */
public final class ServedChannels {

    private final Function<String, Optional<ServedChannel>> joined;
    private final String mspId;
    private final String peerId;

    /**
     * @param joined the joined channel of an id, if any
     * @param mspId this peer's organization
     * @param peerId this peer's id, for the callers' error messages
     */
    public ServedChannels(Function<String, Optional<ServedChannel>> joined, String mspId, String peerId) {
        this.joined = joined;
        this.mspId = mspId;
        this.peerId = peerId;
    }

    String peerId() {
        return peerId;
    }

    String mspId() {
        return mspId;
    }

    /** The joined channel of that id, if any; for the methods whose answer tells an unknown channel. */
    Optional<ServedChannel> find(String channelId) {
        return joined.apply(channelId);
    }

    /** The joined channel of that id; {@code INVALID_ARGUMENT} for a malformed id or a channel not joined. */
    ServedChannel channelOf(String channelId) {
        if (!Identifiers.isChannelId(channelId)) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a channel id: " + Identifiers.quote(channelId));
        }
        return joined.apply(channelId).orElseThrow(() -> new TransportException(ErrorCode.INVALID_ARGUMENT,
                "this peer has not joined channel '" + channelId + "'"));
    }

    void requireOrganization(ServedChannel channel, CallContext call) {
        if (!channel.isOrganizationMember(call.peerCertificate())) {
            throw new TransportException(ErrorCode.PERMISSION_DENIED, "only peers of " + mspId + " may call "
                    + call.method() + " on " + peerId);
        }
    }

    void requireReader(ServedChannel channel, CallContext call) {
        if (!channel.isReader(call.peerCertificate())) {
            throw new TransportException(ErrorCode.PERMISSION_DENIED,
                    "the caller does not satisfy the Readers policy of " + channel.channelId());
        }
    }
}
