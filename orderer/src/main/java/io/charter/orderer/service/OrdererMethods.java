package io.charter.orderer.service;

import static io.charter.common.protocol.OrdererMethodNames.BROADCAST;
import static io.charter.common.protocol.OrdererMethodNames.CHANNELS;
import static io.charter.common.protocol.OrdererMethodNames.DELIVER;
import static io.charter.common.protocol.OrdererMethodNames.JOIN_CHANNEL;
import static io.charter.common.protocol.OrdererMethodNames.LEAVE_CHANNEL;
import static io.charter.common.protocol.OrdererMethodNames.LOG_SPEC;

import io.charter.common.pki.Role;
import io.charter.common.transport.MethodAccess;
import java.util.Map;

/**
 * The orderer's access table: who may call each of its transport methods (named in
 * {@link io.charter.common.protocol.OrdererMethodNames}), checked by the transport from the caller's TLS
 * certificate before the request is read (docs/security.md). The handlers check the channel's policy
 * afterwards (Writers for broadcast, Readers for deliver; an admin's signed request for administration).
 */
public final class OrdererMethods {

    /** Every method the orderer serves and who may call it. A method missing here cannot be registered. */
    public static final Map<String, MethodAccess> ACCESS = Map.of(
            BROADCAST, MethodAccess.trustedOrganizations(Role.CLIENT, Role.ADMIN),
            DELIVER, MethodAccess.trustedOrganizations(Role.PEER, Role.CLIENT, Role.ADMIN),
            JOIN_CHANNEL, MethodAccess.ownOrganization(Role.ADMIN),
            CHANNELS, MethodAccess.ownOrganization(Role.ADMIN),
            LOG_SPEC, MethodAccess.ownOrganization(Role.ADMIN),
            LEAVE_CHANNEL, MethodAccess.ownOrganization(Role.ADMIN));

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
