package io.charter.peer.service;

import io.charter.peer.events.CommitEvents;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.Block;
import io.charter.protocol.HeartbeatRequest;
import io.charter.protocol.HeartbeatResponse;
import io.charter.protocol.PushBlockResponse;
import java.security.cert.X509Certificate;

/**
 * A channel the peer has joined, as its transport methods serve it: who may call them on it, and what they read
 * (blocks, commit events, contract definitions) or hand over (pushed blocks, heartbeats). The node's channel
 * implements it.
 */
public interface ServedChannel {

    String channelId();

    /** Number of committed blocks. */
    long height();

    Ledger ledger();

    CommitEvents events();

    /** The contracts defined on the channel. */
    ContractDefinitions definitions();

    /** The context of the configuration in force now. */
    ChannelContext context();

    /** The caller's TLS identity when it is a valid identity of an organization of the channel. */
    java.util.Optional<io.charter.common.identity.ValidatedIdentity> tlsCaller(X509Certificate certificate);

    /** Whether the caller is a valid TLS identity of this peer's own organization. */
    boolean isOrganizationMember(X509Certificate certificate);

    /** Whether the caller's TLS identity satisfies the channel's Readers policy. */
    boolean isReader(X509Certificate certificate);

    /** A block pushed by the organization's leader: committed, already had, a gap, or refused. */
    PushBlockResponse receivePush(Block block);

    /**
     * As {@link #receivePush(Block)}, then, when this peer committed the block (or already had exactly it), passes it
     * on to {@code relayTo}, its subtree of the relay tree, as far as those are peers it knows of its organization.
     */
    default PushBlockResponse receivePush(Block block, java.util.List<String> relayTo) {
        return receivePush(block);
    }

    /** A heartbeat of another peer of the organization, for the channel's leader election. */
    HeartbeatResponse onHeartbeat(HeartbeatRequest request);
}
