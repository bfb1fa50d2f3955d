package io.charter.orderer.administration;

import io.charter.common.transport.TransportException;

/** An administration request refused with a stable {@link AdminRefusal}; nothing was written. */
public final class AdminRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final AdminRefusal refusal;

    public AdminRefusedException(AdminRefusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public AdminRefusal refusal() {
        return refusal;
    }

    /** The refusal as a transport error frame whose message starts with the refusal's name. */
    public TransportException toTransport() {
        String reason = refusal.wire().name();
        return TransportException.withReason(refusal.transportCode(), reason, reason + ": " + getMessage());
    }
}
