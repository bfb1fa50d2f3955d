package io.charter.orderer.service;

import io.charter.common.pki.Role;
import io.charter.common.transport.MethodAccess;
import java.util.Map;

/**
 * The transport methods an orderer serves (messages in {@code common/src/main/proto/charter/orderer.proto}),
 * and its access table: who may call each method, checked by the transport from the caller's TLS
 * certificate before the request is read (docs/security.md). The handlers check the channel's policy
 * afterwards (Writers for broadcast, Readers for deliver; an admin's signed request for administration).
 */
public final class OrdererMethods {

    /** Unary: Envelope bytes in, {@code BroadcastResponse} out, once the envelope is committed or refused. */
    public static final String BROADCAST = "orderer.Broadcast";
    /** Server stream: {@code DeliverRequest} in, Block bytes out. */
    public static final String DELIVER = "orderer.Deliver";

    /**
     * Unary: a signed ORDERER_ADMIN Envelope of an {@code OrdererJoinChannelRequest} (a genesis block) in,
     * {@code OrdererJoinChannelResponse} out (joined, or already joined with the same block); an admin of the
     * orderer's own organization only, which must be an organization of the genesis block's configuration.
     */
    public static final String JOIN_CHANNEL = "orderer.JoinChannel";
    /** Unary: a signed ORDERER_ADMIN Envelope of an {@code OrdererChannelsRequest} in, the caller's channels out. */
    public static final String CHANNELS = "orderer.Channels";
    /** Unary: a signed ORDERER_ADMIN Envelope of a {@code LogSpecRequest} in, {@code LogSpecResponse} out. */
    public static final String LOG_SPEC = "orderer.LogSpec";

    /** Every method the orderer serves and who may call it. A method missing here cannot be registered. */
    public static final Map<String, MethodAccess> ACCESS = Map.of(
            BROADCAST, MethodAccess.trustedOrganizations(Role.CLIENT, Role.ADMIN),
            DELIVER, MethodAccess.trustedOrganizations(Role.PEER, Role.CLIENT, Role.ADMIN),
            JOIN_CHANNEL, MethodAccess.ownOrganization(Role.ADMIN),
            CHANNELS, MethodAccess.ownOrganization(Role.ADMIN),
            LOG_SPEC, MethodAccess.ownOrganization(Role.ADMIN));

    /** Who may call {@code method}. */
    public static MethodAccess access(String method) {
        MethodAccess access = ACCESS.get(method);
        if (access == null) {
            throw new IllegalArgumentException("method " + method + " has no entry in the orderer's access table");
        }
        return access;
    }

    private OrdererMethods() {}
}
