package io.charter.peer.administration;

import io.charter.common.transport.ErrorCode;
import io.charter.protocol.PeerAdminRefusal;
import java.util.Optional;

/**
 * Why the peer refused an administration request, on the transport or the admin REST API. Each refusal is a value
 * of the wire's {@link PeerAdminRefusal} (peer_admin_refusal.proto, names and numbers pinned) of the same name,
 * {@link #wire()}; docs/peer.md lists them. The transport sends that name in the error frame's reason field (and,
 * for people, at the start of its message: {@code "NOT_ADMIN: ..."}), the REST API as {@code code}. What only the
 * peer needs, the transport code and the HTTP status, stays here. Nothing is written when a request is refused.
 */
public enum AdminRefusal {
    /** The REST call came without a TLS client certificate. */
    CLIENT_CERTIFICATE_REQUIRED(PeerAdminRefusal.CLIENT_CERTIFICATE_REQUIRED, ErrorCode.UNAUTHENTICATED, 401),
    /** The caller is of the peer's organization but not an ADMIN of it (or not a valid identity of it). */
    NOT_ADMIN(PeerAdminRefusal.NOT_ADMIN, ErrorCode.PERMISSION_DENIED, 403),
    /** The caller is of another organization, even an admin of it. */
    OTHER_ORGANIZATION(PeerAdminRefusal.OTHER_ORGANIZATION, ErrorCode.PERMISSION_DENIED, 403),
    /** The signature of a transport request does not verify with its creator's certificate. */
    BAD_SIGNATURE(PeerAdminRefusal.BAD_SIGNATURE, ErrorCode.PERMISSION_DENIED, 403),
    /** The signed request's creator and the connection's TLS certificate name different subjects. */
    CREATOR_MISMATCH(PeerAdminRefusal.CREATOR_MISMATCH, ErrorCode.PERMISSION_DENIED, 403),
    /** The transport request is not a signed PEER_ADMIN envelope for the method called. */
    MALFORMED_REQUEST(PeerAdminRefusal.MALFORMED_REQUEST, ErrorCode.INVALID_ARGUMENT, 400),
    /** The request was signed too long ago or in the future (more than the accepted clock skew). */
    STALE_REQUEST(PeerAdminRefusal.STALE_REQUEST, ErrorCode.PERMISSION_DENIED, 403),
    /** A request with this nonce and creator (tx id) was accepted before: a replay. */
    REPLAYED_REQUEST(PeerAdminRefusal.REPLAYED_REQUEST, ErrorCode.PERMISSION_DENIED, 403),
    /** The contract package is not a jar with exactly one usable contract. */
    INVALID_CONTRACT_PACKAGE(PeerAdminRefusal.INVALID_CONTRACT_PACKAGE, ErrorCode.INVALID_ARGUMENT, 400),
    /** The contract package or genesis block exceeds the size the peer accepts. */
    TOO_LARGE(PeerAdminRefusal.TOO_LARGE, ErrorCode.RESOURCE_EXHAUSTED, 413),
    /** The bytes are not a genesis config block (number 0, a usable channel configuration). */
    NOT_A_GENESIS_BLOCK(PeerAdminRefusal.NOT_A_GENESIS_BLOCK, ErrorCode.INVALID_ARGUMENT, 400),
    /** The channel's configuration has no organization of this peer. */
    ORGANIZATION_NOT_IN_CHANNEL(PeerAdminRefusal.ORGANIZATION_NOT_IN_CHANNEL, ErrorCode.INVALID_ARGUMENT, 400),
    /** The channel is joined already, from another genesis block. */
    ALREADY_JOINED(PeerAdminRefusal.ALREADY_JOINED, ErrorCode.INVALID_ARGUMENT, 409),
    /** No orderer of the channel is configured or known: the peer could never receive its blocks. */
    NO_ORDERERS(PeerAdminRefusal.NO_ORDERERS, ErrorCode.UNAVAILABLE, 503),
    /** This peer's host gave it no way to open a channel's ledger (it joins channels through its host only). */
    JOIN_UNAVAILABLE(PeerAdminRefusal.JOIN_UNAVAILABLE, ErrorCode.UNAVAILABLE, 503),
    /** The log spec does not parse (io.charter.common.logging.LogSpec); the levels are unchanged. */
    INVALID_LOG_SPEC(PeerAdminRefusal.INVALID_LOG_SPEC, ErrorCode.INVALID_ARGUMENT, 400),
    /** The peer's process logs through a backend whose levels cannot be changed at run time. */
    LOG_LEVELS_UNAVAILABLE(PeerAdminRefusal.LOG_LEVELS_UNAVAILABLE, ErrorCode.UNAVAILABLE, 503),
    /** The peer has not joined the channel named (to leave it). */
    NOT_JOINED(PeerAdminRefusal.NOT_JOINED, ErrorCode.INVALID_ARGUMENT, 404),
    /** A snapshot of the channel at its current height exists already. */
    SNAPSHOT_EXISTS(PeerAdminRefusal.SNAPSHOT_EXISTS, ErrorCode.INVALID_ARGUMENT, 409),
    /** The peer is writing another snapshot. */
    SNAPSHOT_IN_PROGRESS(PeerAdminRefusal.SNAPSHOT_IN_PROGRESS, ErrorCode.RESOURCE_EXHAUSTED, 409),
    /** The database or the disk failed while writing or listing snapshots; nothing was left behind. */
    SNAPSHOT_FAILED(PeerAdminRefusal.SNAPSHOT_FAILED, ErrorCode.UNAVAILABLE, 503),
    /** A snapshot's manifest does not match its recorded hash. */
    SNAPSHOT_INVALID(PeerAdminRefusal.SNAPSHOT_INVALID, ErrorCode.INVALID_ARGUMENT, 422),
    /** The peer's host gave it no place to write snapshots. */
    SNAPSHOTS_UNAVAILABLE(PeerAdminRefusal.SNAPSHOTS_UNAVAILABLE, ErrorCode.UNAVAILABLE, 503);

    private final PeerAdminRefusal wire;
    private final ErrorCode transportCode;
    private final int httpStatus;

    AdminRefusal(PeerAdminRefusal wire, ErrorCode transportCode, int httpStatus) {
        this.wire = wire;
        this.transportCode = transportCode;
        this.httpStatus = httpStatus;
    }

    /** The wire's value for this refusal: its name is the error frame's reason on the transport. */
    public PeerAdminRefusal wire() {
        return wire;
    }

    /**
     * The refusal a wire value names; empty for {@code PEER_ADMIN_REFUSAL_UNSPECIFIED}, {@code UNRECOGNIZED} and values
     * this node never sends.
     */
    public static Optional<AdminRefusal> of(PeerAdminRefusal wire) {
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

    /** The HTTP status on the admin REST API. */
    public int httpStatus() {
        return httpStatus;
    }
}
