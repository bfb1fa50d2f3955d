package io.charter.peer.administration;

import io.charter.peer.contract.ContractPackage;
import java.util.List;
import java.util.Optional;

/**
 * The peer as its administration acts on it: its installed contracts and its joined channels. The node
 * implements it; {@link PeerAdministration} checks the caller and the input before it calls any of these.
 */
public interface AdministeredPeer {

    /** The peer's id, for messages. */
    String peerId();

    /**
     * Installs a contract jar (idempotent: the same bytes give the same package).
     *
     * @throws io.charter.peer.contract.ContractLoadException when the bytes are not a jar with exactly one
     *     usable contract; nothing is installed then
     */
    ContractPackage installContract(byte[] jar);

    /** The installed contract packages, oldest installation first. */
    List<ContractPackage> installedContracts();

    Optional<? extends AdministeredChannel> channel(String channelId);

    /** The joined channels, by id. */
    List<? extends AdministeredChannel> channels();

    /**
     * Leaves a joined channel without stopping the peer; with {@code removeData}, deletes its ledger too (kept
     * otherwise: joining again with the same genesis block reopens it at its height).
     *
     * @return false when the channel was not joined
     */
    boolean leave(String channelId, boolean removeData);
}
