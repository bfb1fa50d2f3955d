package io.charter.peer.dissemination;

/** The peer's transport method names. */
public final class PeerMethods {

    /** Unary: a serialized SignedProposal in, a serialized ProposalResponse out (endorsed or not). */
    public static final String ENDORSE = "peer.Endorse";
    public static final String GET_BLOCKS = "peer.GetBlocks";
    public static final String PUSH_BLOCK = "peer.PushBlock";
    public static final String HEARTBEAT = "peer.Heartbeat";
    public static final String COMMIT_STATUS = "peer.CommitStatus";
    public static final String BLOCK_EVENTS = "peer.BlockEvents";
    /** Unary: ContractPolicyRequest in, ContractPolicyResponse out (a contract's policy in force, for clients). */
    public static final String CONTRACT_POLICY = "peer.ContractPolicy";

    private PeerMethods() {}
}
