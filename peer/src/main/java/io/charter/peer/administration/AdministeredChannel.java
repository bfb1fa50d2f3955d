package io.charter.peer.administration;

import io.charter.common.identity.ValidatedIdentity;
import io.charter.peer.ledger.Ledger;
import io.charter.peer.validation.ChannelContext;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * A channel the peer has joined, as its administration sees it: who may administer the peer there (its
 * configuration in force and TLS identities), what an admin is shown of it, and its genesis block (to tell a
 * repeated join from one with another block). The node's channel implements it.
 */
public interface AdministeredChannel {

    String channelId();

    /** Number of committed blocks. */
    long height();

    /** The organization's current leader on the channel, as this peer sees it. */
    Optional<String> leader();

    boolean isLeader();

    /** Whether this peer's organization is in the configuration in force. */
    boolean isMember();

    /** The context of the configuration in force now. */
    ChannelContext context();

    /** The caller's TLS certificate as a valid TLS identity of one of the channel's organizations. */
    Optional<ValidatedIdentity> tlsCaller(X509Certificate certificate);

    Ledger ledger();
}
