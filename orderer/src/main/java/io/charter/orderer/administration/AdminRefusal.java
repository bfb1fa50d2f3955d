package io.charter.orderer.administration;

import io.charter.common.transport.ErrorCode;
import io.charter.protocol.OrdererAdminRefusal;
import java.util.Optional;

/**
 * Why the orderer refused an administration request, on the transport or the channel participation REST API.
 * Each refusal is a value of the wire's {@link OrdererAdminRefusal} (orderer_admin_refusal.proto, names and numbers
 * pinned) of the same name, {@link #wire()}; docs/orderer.md lists them. The transport sends that name in the error
 * frame's reason field (and, for people, at the start of its message: {@code "NOT_ADMIN: ..."}), the REST API as
 * {@code code}. What only the orderer needs, the transport code and the HTTP status, stays here. Nothing is written
 * when a request is refused.
 */
public enum AdminRefusal {
    /** The REST call came without a TLS client certificate. */
    CLIENT_CERTIFICATE_REQUIRED(OrdererAdminRefusal.CLIENT_CERTIFICATE_REQUIRED, ErrorCode.UNAUTHENTICATED, 401),
    /** The caller is not a valid ADMIN of the organization it names, in the channel's configuration. */
    NOT_ADMIN(OrdererAdminRefusal.NOT_ADMIN, ErrorCode.PERMISSION_DENIED, 403),
    /** The caller's organization is not one of the channel's (of the genesis block's configuration for a join). */
    ORGANIZATION_NOT_IN_CHANNEL(OrdererAdminRefusal.ORGANIZATION_NOT_IN_CHANNEL, ErrorCode.PERMISSION_DENIED, 403),
    /** A join asked by an admin of another organization than the orderer's own: only the orderer's admins join it. */
    NOT_ORDERER_ADMIN(OrdererAdminRefusal.NOT_ORDERER_ADMIN, ErrorCode.PERMISSION_DENIED, 403),
    /** The signature of a transport request does not verify with its creator's certificate. */
    BAD_SIGNATURE(OrdererAdminRefusal.BAD_SIGNATURE, ErrorCode.PERMISSION_DENIED, 403),
    /** The signed request's creator and the connection's TLS certificate name different subjects. */
    CREATOR_MISMATCH(OrdererAdminRefusal.CREATOR_MISMATCH, ErrorCode.PERMISSION_DENIED, 403),
    /** The transport request is not a signed ORDERER_ADMIN envelope for the method called. */
    MALFORMED_REQUEST(OrdererAdminRefusal.MALFORMED_REQUEST, ErrorCode.INVALID_ARGUMENT, 400),
    /** The request was signed too long ago or in the future (more than the accepted clock skew). */
    STALE_REQUEST(OrdererAdminRefusal.STALE_REQUEST, ErrorCode.PERMISSION_DENIED, 403),
    /** A request with this nonce and creator (tx id) was accepted before: a replay. */
    REPLAYED_REQUEST(OrdererAdminRefusal.REPLAYED_REQUEST, ErrorCode.PERMISSION_DENIED, 403),
    /** The genesis block exceeds the size the orderer accepts. */
    TOO_LARGE(OrdererAdminRefusal.TOO_LARGE, ErrorCode.RESOURCE_EXHAUSTED, 413),
    /** The bytes are not a genesis config block (number 0, a usable channel configuration). */
    NOT_A_GENESIS_BLOCK(OrdererAdminRefusal.NOT_A_GENESIS_BLOCK, ErrorCode.INVALID_ARGUMENT, 400),
    /** The channel's configuration does not list this orderer among its consenters. */
    NOT_A_CONSENTER(OrdererAdminRefusal.NOT_A_CONSENTER, ErrorCode.INVALID_ARGUMENT, 400),
    /** The channel is joined already, from another genesis block. */
    ALREADY_JOINED(OrdererAdminRefusal.ALREADY_JOINED, ErrorCode.INVALID_ARGUMENT, 409),
    /** The orderer could not start the channel (its Raft group or block store); see its log. */
    JOIN_FAILED(OrdererAdminRefusal.JOIN_FAILED, ErrorCode.INTERNAL, 500),
    /** The log spec does not parse (io.charter.common.logging.LogSpec); the levels are unchanged. */
    INVALID_LOG_SPEC(OrdererAdminRefusal.INVALID_LOG_SPEC, ErrorCode.INVALID_ARGUMENT, 400),
    /** The orderer's process logs through a backend whose levels cannot be changed at run time. */
    LOG_LEVELS_UNAVAILABLE(OrdererAdminRefusal.LOG_LEVELS_UNAVAILABLE, ErrorCode.UNAVAILABLE, 503),
    /** The orderer has not joined the channel named (to leave it). */
    NOT_JOINED(OrdererAdminRefusal.NOT_JOINED, ErrorCode.INVALID_ARGUMENT, 404),
    /** The orderer could not stop the channel's Raft group or move or delete its blocks; see its log. */
    LEAVE_FAILED(OrdererAdminRefusal.LEAVE_FAILED, ErrorCode.INTERNAL, 500);

    private final OrdererAdminRefusal wire;
    private final ErrorCode transportCode;
    private final int httpStatus;

    AdminRefusal(OrdererAdminRefusal wire, ErrorCode transportCode, int httpStatus) {
        this.wire = wire;
        this.transportCode = transportCode;
        this.httpStatus = httpStatus;
    }

    /** The wire's value for this refusal: its name is the error frame's reason on the transport. */
    public OrdererAdminRefusal wire() {
        return wire;
    }

    /**
     * The refusal a wire value names; empty for {@code ORDERER_ADMIN_REFUSAL_UNSPECIFIED}, {@code UNRECOGNIZED} and values
     * this node never sends.
     */
    public static Optional<AdminRefusal> of(OrdererAdminRefusal wire) {
        for (AdminRefusal refusal : values()) {
            if (refusal.wire == wire) {
                return Optional.of(refusal);
            }
        }
        return Optional.empty();
    }

    /** The error frame's code on the transport. */
    public ErrorCode transportCode() {
        return transportCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
