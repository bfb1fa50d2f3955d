package io.charter.common.protocol;

/**
 * The names of the transport methods a peer serves, the one place both sides of the wire take them from: the
 * peer registers them (with its access table, {@code io.charter.peer.service.PeerMethods}), other peers and the
 * SDK call them. A name is part of the wire contract: renaming one breaks every client already deployed.
 */
public final class PeerMethodNames {

    /** Unary: a serialized SignedProposal in, a serialized ProposalResponse out (endorsed or refused). */
    public static final String ENDORSE = "peer.Endorse";
    /** Server stream: committed blocks for a peer of the same organization catching up (anti-entropy). */
    public static final String GET_BLOCKS = "peer.GetBlocks";
    /** Unary: the leader peer hands a block it received from the orderer to a peer of its organization. */
    public static final String PUSH_BLOCK = "peer.PushBlock";
    /** Unary: leader election between the peers of one organization. */
    public static final String HEARTBEAT = "peer.Heartbeat";
    /** Unary: CommitStatusRequest in, CommitStatusResponse out (a transaction's validation code once committed). */
    public static final String COMMIT_STATUS = "peer.CommitStatus";
    /** Server stream: a channel's committed blocks (or their filtered form) from a position on. */
    public static final String BLOCK_EVENTS = "peer.BlockEvents";
    /** Unary: ContractPolicyRequest in, ContractPolicyResponse out (a contract's policy in force, for clients). */
    public static final String CONTRACT_POLICY = "peer.ContractPolicy";
    /** Unary: ContractDefinitionsRequest in, ContractDefinitionsResponse out (a channel's committed definitions). */
    public static final String CONTRACT_DEFINITIONS = "peer.ContractDefinitions";
    /** Unary: an endorsing peer hands a transaction's private writes to a peer of the collections' member organizations. */
    public static final String PUSH_PRIVATE_DATA = "peer.PushPrivateData";
    /** Unary: a member peer asks another for committed private writes it missed (reconciliation). */
    public static final String PULL_PRIVATE_DATA = "peer.PullPrivateData";
    /** Unary administration: a signed request to install a contract package on the peer. */
    public static final String INSTALL_CONTRACT = "peer.InstallContract";
    /** Unary administration: a signed request to join the peer to a channel from its genesis block. */
    public static final String JOIN_CHANNEL = "peer.JoinChannel";
    /** Unary administration: a signed request for the contract packages installed on the peer. */
    public static final String INSTALLED_CONTRACTS = "peer.InstalledContracts";
    /** Unary administration: a signed request for the channels the peer has joined. */
    public static final String CHANNELS = "peer.Channels";
    /** Unary administration: reads or replaces the log levels of the peer's process (Fabric's /logspec). */
    public static final String LOG_SPEC = "peer.LogSpec";
    /** Unary administration: a signed request to leave a joined channel, its ledger kept or deleted. */
    public static final String LEAVE_CHANNEL = "peer.LeaveChannel";
    /** Unary administration: a signed request to write a snapshot of a joined channel at its height. */
    public static final String CREATE_SNAPSHOT = "peer.CreateSnapshot";
    /** Unary administration: a signed request for the snapshots of a joined channel on the peer. */
    public static final String SNAPSHOTS = "peer.Snapshots";

    private PeerMethodNames() {}
}
