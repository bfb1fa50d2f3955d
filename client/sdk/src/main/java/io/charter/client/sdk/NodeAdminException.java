package io.charter.client.sdk;

import io.charter.common.transport.ErrorCode;

/**
 * A refused or failed administration call to a node ({@link PeerAdmin}, {@link OrdererAdmin}): the node's stable
 * refusal code, or for a failure of the call itself {@code PEER_UNAVAILABLE}/{@code ORDERER_UNAVAILABLE},
 * {@code TIMEOUT}, {@code NOT_SUPPORTED} or the transport's code.
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
