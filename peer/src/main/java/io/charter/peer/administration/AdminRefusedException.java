package io.charter.peer.administration;

import io.charter.common.transport.TransportException;
import java.util.Objects;

/** A refused administration request: its stable {@link AdminRefusal} and a message that says what to do. */
public final class AdminRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final AdminRefusal refusal;

    public AdminRefusedException(AdminRefusal refusal, String message) {
        super(message);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    public AdminRefusal refusal() {
        return refusal;
    }

    /** The error frame the transport answers with: the refusal's code, the message prefixed with its name. */
    public TransportException toTransport() {
        String reason = refusal.wire().name();
        return TransportException.withReason(refusal.transportCode(), reason, reason + ": " + getMessage());
    }
}
