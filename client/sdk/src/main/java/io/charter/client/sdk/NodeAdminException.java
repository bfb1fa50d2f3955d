package io.charter.client.sdk;

import io.charter.common.transport.ErrorCode;

/**
 * A refused or failed administration call to a node ({@link PeerAdmin}, {@link OrdererAdmin}): the node's stable
 * refusal code, or for a failure of the call itself {@code PEER_UNAVAILABLE}/{@code ORDERER_UNAVAILABLE},
 * {@code TIMEOUT}, {@code NOT_SUPPORTED} or the transport's code. The subclasses give the refusal as the node kind's
 * wire enum ({@link PeerAdmin.PeerAdminException#refusal()}, {@link OrdererAdmin.OrdererAdminException#refusal()}):
 * branch on that, not on the code's text.
 */
public class NodeAdminException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String code;
    private final ErrorCode transportCode;

    NodeAdminException(String code, ErrorCode transportCode, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.transportCode = transportCode;
    }

    public String code() {
        return code;
    }

    public ErrorCode transportCode() {
        return transportCode;
    }
}
