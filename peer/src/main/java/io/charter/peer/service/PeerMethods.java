package io.charter.peer.service;

import static io.charter.common.protocol.PeerMethodNames.BLOCK_EVENTS;
import static io.charter.common.protocol.PeerMethodNames.CHANNELS;
import static io.charter.common.protocol.PeerMethodNames.COMMIT_STATUS;
import static io.charter.common.protocol.PeerMethodNames.CONTRACT_DEFINITIONS;
import static io.charter.common.protocol.PeerMethodNames.CONTRACT_POLICY;
import static io.charter.common.protocol.PeerMethodNames.CREATE_SNAPSHOT;
import static io.charter.common.protocol.PeerMethodNames.ENDORSE;
import static io.charter.common.protocol.PeerMethodNames.GET_BLOCKS;
import static io.charter.common.protocol.PeerMethodNames.HEARTBEAT;
import static io.charter.common.protocol.PeerMethodNames.INSTALLED_CONTRACTS;
import static io.charter.common.protocol.PeerMethodNames.INSTALL_CONTRACT;
import static io.charter.common.protocol.PeerMethodNames.JOIN_CHANNEL;
import static io.charter.common.protocol.PeerMethodNames.LEAVE_CHANNEL;
import static io.charter.common.protocol.PeerMethodNames.LOG_SPEC;
import static io.charter.common.protocol.PeerMethodNames.PULL_PRIVATE_DATA;
import static io.charter.common.protocol.PeerMethodNames.PUSH_BLOCK;
import static io.charter.common.protocol.PeerMethodNames.PUSH_PRIVATE_DATA;
import static io.charter.common.protocol.PeerMethodNames.SNAPSHOTS;

import io.charter.common.pki.Role;
import io.charter.common.transport.MethodAccess;
import java.util.Map;

/**
 * The peer's access table: who may call each of its transport methods (named in
 * {@link io.charter.common.protocol.PeerMethodNames}), checked by the
 * transport from the caller's TLS certificate before the request is read (docs/security.md). The
 * handlers of this package check the channel's policy afterwards (Readers for commit status, events and
 * contract policies; the endorser authenticates a proposal's creator; the administration checks the signed
 * request).
 */
public final class PeerMethods {

    private static final MethodAccess APPLICATIONS = MethodAccess.trustedOrganizations(Role.CLIENT, Role.ADMIN);
    private static final MethodAccess ORGANIZATION_PEERS = MethodAccess.ownOrganization(Role.PEER);
    private static final MethodAccess NODE_ADMINS = MethodAccess.ownOrganization(Role.ADMIN);
    /** Peers of any trusted organization; the handler then requires membership of every collection involved. */
    private static final MethodAccess COLLECTION_PEERS = MethodAccess.trustedOrganizations(Role.PEER);

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
            Map.entry(PUSH_PRIVATE_DATA, COLLECTION_PEERS),
            Map.entry(PULL_PRIVATE_DATA, COLLECTION_PEERS),
            Map.entry(INSTALL_CONTRACT, NODE_ADMINS),
            Map.entry(JOIN_CHANNEL, NODE_ADMINS),
            Map.entry(INSTALLED_CONTRACTS, NODE_ADMINS),
            Map.entry(CHANNELS, NODE_ADMINS),
            Map.entry(LOG_SPEC, NODE_ADMINS),
            Map.entry(LEAVE_CHANNEL, NODE_ADMINS),
            Map.entry(CREATE_SNAPSHOT, NODE_ADMINS),
            Map.entry(SNAPSHOTS, NODE_ADMINS));

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
