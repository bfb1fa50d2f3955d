package io.charter.peer.administration;

import io.charter.protocol.Block;

/**
 * How the peer's host opens a channel's ledger when an admin asks the peer to join it: the Spring shell
 * with its ledger database, its record of joined channels and its discovered neighbours; the local network
 * with its embedded database.
 */
@FunctionalInterface
public interface ChannelJoining {

    /**
     * Joins the channel of {@code genesis}, already checked to be a genesis block of a channel not joined.
     *
     * @throws AdminRefusedException for a refusal of the host's (e.g. NO_ORDERERS), with nothing written
     * @throws IllegalArgumentException when the block is not usable as a genesis block
     * @throws IllegalStateException when the channel was joined meanwhile
     */
    AdministeredChannel join(Block genesis);
}
