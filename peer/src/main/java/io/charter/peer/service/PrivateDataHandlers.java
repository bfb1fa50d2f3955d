package io.charter.peer.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.pki.Role;
import io.charter.common.protocol.Identifiers;
import io.charter.common.transport.CallContext;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import io.charter.peer.ledger.KeyVersion;
import io.charter.peer.privatedata.Collection;
import io.charter.peer.privatedata.Dissemination;
import io.charter.protocol.CollectionPrivateWrites;
import io.charter.protocol.KeyWrite;
import io.charter.protocol.PrivateDataOutcome;
import io.charter.protocol.PrivateDataReference;
import io.charter.protocol.PullPrivateDataRequest;
import io.charter.protocol.PullPrivateDataResponse;
import io.charter.protocol.PulledPrivateData;
import io.charter.protocol.PushPrivateDataRequest;
import io.charter.protocol.PushPrivateDataResponse;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The private data methods between peers of a collection's member organizations: {@code peer.PushPrivateData}
 * (an endorser hands a transaction's private writes to this peer before its block) and {@code peer.PullPrivateData}
 * (another member peer reconciles committed writes it missed). The transport admits peers of the trusted
 * organizations; here the caller must be a valid PEER TLS identity of an organization of the channel. A push is kept
 * only when this peer's organization is a member of every collection in it (the sender may be a non-member
 * organization's endorser: the values it simulated go to members, and are checked against the block's hashes
 * before they count); a pull is answered only for collections whose members include both organizations. A value
 * never goes to a non-member.
 */
public final class PrivateDataHandlers {

    /** Most collections one push carries (a definition has at most 64, plus implicit ones). */
    static final int MAX_COLLECTIONS = 128;
    /** Most references one pull asks for. */
    static final int MAX_REFERENCES = 100;
    private static final int MAX_KEY_LENGTH = 1024;

    private final ServedChannels channels;
    private final io.charter.peer.privatedata.PrivateDataSettings settings;

    public PrivateDataHandlers(ServedChannels channels, io.charter.peer.privatedata.PrivateDataSettings settings) {
        this.channels = channels;
        this.settings = settings;
    }

    /** {@code peer.PushPrivateData}. */
    public CompletableFuture<ByteString> push(CallContext call, ByteString body) {
        PushPrivateDataRequest request;
        try {
            request = PushPrivateDataRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a PushPrivateDataRequest");
        }
        Optional<ServedChannel> found = channels.find(request.getChannelId());
        if (found.isEmpty()) {
            return answer(PrivateDataOutcome.PRIVATE_DATA_UNKNOWN_CHANNEL, "this peer has not joined channel "
                    + Identifiers.quote(request.getChannelId()));
        }
        ServedChannel channel = found.get();
        ValidatedIdentity caller = peerCaller(channel, call);
        String txId = request.getWrites().getTxId();
        if (!Identifiers.isTxId(txId)) {
            return answer(PrivateDataOutcome.PRIVATE_DATA_MALFORMED, "not a transaction id: " + Identifiers.quote(txId));
        }
        int count = request.getWrites().getCollectionsCount();
        if (count == 0 || count > MAX_COLLECTIONS) {
            return answer(PrivateDataOutcome.PRIVATE_DATA_MALFORMED, "a push carries 1 to " + MAX_COLLECTIONS
                    + " collections, not " + count);
        }
        Set<String> seen = new HashSet<>();
        for (CollectionPrivateWrites writes : request.getWrites().getCollectionsList()) {
            if (!seen.add(writes.getNamespace() + "/" + writes.getCollection())) {
                return answer(PrivateDataOutcome.PRIVATE_DATA_MALFORMED, "collection " + writes.getCollection() + " of "
                        + writes.getNamespace() + " twice");
            }
            Optional<String> malformed = malformed(writes);
            if (malformed.isPresent()) {
                return answer(PrivateDataOutcome.PRIVATE_DATA_MALFORMED, malformed.get());
            }
            Optional<Collection> collection = collection(channel, writes.getNamespace(), writes.getCollection());
            if (collection.isEmpty()) {
                return answer(PrivateDataOutcome.PRIVATE_DATA_UNKNOWN_COLLECTION, "contract "
                        + Identifiers.quote(writes.getNamespace()) + " has no collection " + Identifiers.quote(writes.getCollection())
                        + " on " + channel.channelId());
            }
            // a non-member organization's endorser hands the values it simulated to members: receiving them gives
            // it nothing, and what is kept is checked against the block's hashes before it counts
            if (!collection.get().isMember(channels.mspId())) {
                return answer(PrivateDataOutcome.PRIVATE_DATA_NOT_MEMBER, "collection " + writes.getCollection()
                        + " has members " + collection.get().members() + "; this peer is of " + channels.mspId());
            }
        }
        boolean kept = channel.ledger().putTransient(txId, request.getWrites().getCollectionsList(), false,
                caller.mspId(), channel.height(), settings.maxTransientEntries(), settings.maxTransientEntriesPerOrganization());
        return kept ? answer(PrivateDataOutcome.STORED, "")
                : answer(PrivateDataOutcome.PRIVATE_DATA_STORE_FULL, "the transient store of " + channel.channelId()
                        + " holds its " + settings.maxTransientEntries() + " entries, or " + caller.mspId() + "'s "
                        + settings.maxTransientEntriesPerOrganization());
    }

    /** {@code peer.PullPrivateData}. */
    public CompletableFuture<ByteString> pull(CallContext call, ByteString body) {
        PullPrivateDataRequest request;
        try {
            request = PullPrivateDataRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "not a PullPrivateDataRequest");
        }
        if (request.getReferencesCount() > MAX_REFERENCES) {
            throw new TransportException(ErrorCode.INVALID_ARGUMENT, "a pull asks for at most " + MAX_REFERENCES
                    + " private write sets, not " + request.getReferencesCount());
        }
        Optional<ServedChannel> found = channels.find(request.getChannelId());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(PullPrivateDataResponse.newBuilder().setJoined(false).build().toByteString());
        }
        ServedChannel channel = found.get();
        ValidatedIdentity caller = peerCaller(channel, call);
        PullPrivateDataResponse.Builder response = PullPrivateDataResponse.newBuilder().setJoined(true);
        for (PrivateDataReference reference : request.getReferencesList()) {
            // uint64 and uint32 on the wire: above the signed range they read negative here, and name no position
            if (reference.getBlockNumber() < 0 || reference.getTxNumber() < 0) {
                continue;
            }
            Optional<Collection> collection = collection(channel, reference.getNamespace(), reference.getCollection());
            if (collection.isEmpty() || !collection.get().isMember(channels.mspId())
                    || !collection.get().isMember(caller.mspId())) {
                continue;
            }
            channel.ledger().committedPrivateWrites(new KeyVersion(reference.getBlockNumber(), reference.getTxNumber()),
                            reference.getNamespace(), reference.getCollection())
                    .ifPresent(writes -> response.addFound(PulledPrivateData.newBuilder().setReference(reference)
                            .setWrites(writes)));
        }
        return CompletableFuture.completedFuture(response.build().toByteString());
    }

    /** The caller as a valid PEER TLS identity of an organization of the channel, else PERMISSION_DENIED. */
    private static ValidatedIdentity peerCaller(ServedChannel channel, CallContext call) {
        return channel.tlsCaller(call.peerCertificate()).filter(identity -> identity.role() == Role.PEER)
                .orElseThrow(() -> new TransportException(ErrorCode.PERMISSION_DENIED, "only peers of the organizations"
                        + " of " + channel.channelId() + " exchange private data"));
    }

    private static Optional<Collection> collection(ServedChannel channel, String namespace, String name) {
        return channel.definitions().definition(namespace)
                .flatMap(defined -> Collection.of(defined.definition(), name, channel.context().applicationOrganizations()));
    }

    private static Optional<String> malformed(CollectionPrivateWrites writes) {
        if (writes.getWritesCount() == 0) {
            return Optional.of("collection " + writes.getCollection() + " has no writes");
        }
        Set<String> keys = new HashSet<>();
        for (KeyWrite write : writes.getWritesList()) {
            String key = write.getKey();
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.indexOf('\u0000') >= 0 || !keys.add(key)) {
                return Optional.of("collection " + writes.getCollection() + " has an empty, too long, NUL-holding or"
                        + " repeated key");
            }
        }
        return Optional.empty();
    }

    private static CompletableFuture<ByteString> answer(PrivateDataOutcome outcome, String detail) {
        return CompletableFuture.completedFuture(PushPrivateDataResponse.newBuilder().setOutcome(outcome).setDetail(detail)
                .build().toByteString());
    }
}
