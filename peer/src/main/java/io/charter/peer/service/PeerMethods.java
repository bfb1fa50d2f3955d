package io.charter.peer.service;

import io.charter.common.pki.Role;
import io.charter.common.transport.MethodAccess;
import java.util.Map;

/**
 * The peer's transport method names, and its access table: who may call each method, checked by the
 * transport from the caller's TLS certificate before the request is read (docs/security.md). The
 * handlers of this package check the channel's policy afterwards (Readers for commit status, events and
 * contract policies; the endorser authenticates a proposal's creator; the administration checks the signed
 * request). The peer's own clients of these methods (election, push, anti-entropy) name them from here.
 */
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
    /** Unary: ContractDefinitionsRequest in, ContractDefinitionsResponse out (a channel's committed definitions). */
    public static final String CONTRACT_DEFINITIONS = "peer.ContractDefinitions";
    /** Unary administration methods: a signed admin request envelope in (peer.proto, {@link AdminMethods}). */
    public static final String INSTALL_CONTRACT = "peer.InstallContract";
    public static final String JOIN_CHANNEL = "peer.JoinChannel";
    public static final String INSTALLED_CONTRACTS = "peer.InstalledContracts";
    public static final String CHANNELS = "peer.Channels";
    /** Reads or replaces the log levels of the peer's process (Fabric's /logspec). */
    public static final String LOG_SPEC = "peer.LogSpec";

    private static final MethodAccess APPLICATIONS = MethodAccess.trustedOrganizations(Role.CLIENT, Role.ADMIN);
    private static final MethodAccess ORGANIZATION_PEERS = MethodAccess.ownOrganization(Role.PEER);
    private static final MethodAccess NODE_ADMINS = MethodAccess.ownOrganization(Role.ADMIN);

    /** Every method the peer serves and who may call it. A method missing here cannot be registered. */
    public static final Map<String, MethodAccess> ACCESS = Map.ofEntries(
            Map.entry(ENDORSE, APPLICATIONS),
            Map.entry(COMMIT_STATUS, APPLICATIONS),
            Map.entry(BLOCK_EVENTS, APPLICATIONS),
            Map.entry(CONTRACT_POLICY, APPLICATIONS),
            Map.entry(CONTRACT_DEFINITIONS, APPLICATIONS),
            Map.entry(GET_BLOCKS, ORGANIZATION_PEERS),
            Map.entry(PUSH_BLOCK, ORGANIZATION_PEERS),
            Map.entry(HEARTBEAT, ORGANIZATION_PEERS),
            Map.entry(INSTALL_CONTRACT, NODE_ADMINS),
            Map.entry(JOIN_CHANNEL, NODE_ADMINS),
            Map.entry(INSTALLED_CONTRACTS, NODE_ADMINS),
            Map.entry(CHANNELS, NODE_ADMINS),
            Map.entry(LOG_SPEC, NODE_ADMINS));

    /** Who may call {@code method}. */
    public static MethodAccess access(String method) {
        MethodAccess access = ACCESS.get(method);
        if (access == null) {
            throw new IllegalArgumentException("method " + method + " has no entry in the peer's access table");
        }
        return access;
    }

    private PeerMethods() {}
}
