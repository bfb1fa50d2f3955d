package io.charter.orderer.administration;

import io.charter.common.transport.ErrorCode;

/**
 * Why the orderer refused an administration request, on the transport or the channel participation REST API.
 * The names are stable (docs/orderer.md lists them): the transport sends them in the error frame's reason field
 * (and, for people, at the start of its message: {@code "NOT_ADMIN: ..."}), the REST API as {@code code}. Nothing is written when a request is refused.
 */
public enum AdminRefusal {
    /** The REST call came without a TLS client certificate. */
    CLIENT_CERTIFICATE_REQUIRED(ErrorCode.UNAUTHENTICATED, 401),
    /** The caller is not a valid ADMIN of the organization it names, in the channel's configuration. */
    NOT_ADMIN(ErrorCode.PERMISSION_DENIED, 403),
    /** The caller's organization is not one of the channel's (of the genesis block's configuration for a join). */
    ORGANIZATION_NOT_IN_CHANNEL(ErrorCode.PERMISSION_DENIED, 403),
    /** A join asked by an admin of another organization than the orderer's own: only the orderer's admins join it. */
    NOT_ORDERER_ADMIN(ErrorCode.PERMISSION_DENIED, 403),
    /** The signature of a transport request does not verify with its creator's certificate. */
    BAD_SIGNATURE(ErrorCode.PERMISSION_DENIED, 403),
    /** The signed request's creator and the connection's TLS certificate name different subjects. */
    CREATOR_MISMATCH(ErrorCode.PERMISSION_DENIED, 403),
    /** The transport request is not a signed ORDERER_ADMIN envelope for the method called. */
    MALFORMED_REQUEST(ErrorCode.INVALID_ARGUMENT, 400),
    /** The request was signed too long ago or in the future (more than the accepted clock skew). */
    STALE_REQUEST(ErrorCode.PERMISSION_DENIED, 403),
    /** A request with this nonce and creator (tx id) was accepted before: a replay. */
    REPLAYED_REQUEST(ErrorCode.PERMISSION_DENIED, 403),
    /** The genesis block exceeds the size the orderer accepts. */
    TOO_LARGE(ErrorCode.RESOURCE_EXHAUSTED, 413),
    /** The bytes are not a genesis config block (number 0, a usable channel configuration). */
    NOT_A_GENESIS_BLOCK(ErrorCode.INVALID_ARGUMENT, 400),
    /** The channel's configuration does not list this orderer among its consenters. */
    NOT_A_CONSENTER(ErrorCode.INVALID_ARGUMENT, 400),
    /** The channel is joined already, from another genesis block. */
    ALREADY_JOINED(ErrorCode.INVALID_ARGUMENT, 409),
    /** The orderer could not start the channel (its Raft group or block store); see its log. */
    JOIN_FAILED(ErrorCode.INTERNAL, 500),
    /** The log spec does not parse (io.charter.common.logging.LogSpec); the levels are unchanged. */
    INVALID_LOG_SPEC(ErrorCode.INVALID_ARGUMENT, 400),
    /** The orderer's process logs through a backend whose levels cannot be changed at run time. */
    LOG_LEVELS_UNAVAILABLE(ErrorCode.UNAVAILABLE, 503),
    /** The orderer has not joined the channel named (to leave it). */
    NOT_JOINED(ErrorCode.INVALID_ARGUMENT, 404),
    /** The orderer could not stop the channel's Raft group or move or delete its blocks; see its log. */
    LEAVE_FAILED(ErrorCode.INTERNAL, 500);

    private final ErrorCode transportCode;
    private final int httpStatus;

    AdminRefusal(ErrorCode transportCode, int httpStatus) {
        this.transportCode = transportCode;
        this.httpStatus = httpStatus;
    }

    public ErrorCode transportCode() {
        return transportCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
