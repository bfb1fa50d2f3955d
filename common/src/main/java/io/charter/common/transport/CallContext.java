package io.charter.common.transport;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a handler knows about the call it serves: who calls, what, until when, and whether it still matters. */
public interface CallContext {

    String method();

    /**
     * The caller's certificate chain as verified in the TLS handshake, leaf first: the caller's
     * identity for authorization.
     */
    List<X509Certificate> peerCertificates();

    default X509Certificate peerCertificate() {
        return peerCertificates().getFirst();
    }

    /** The remote address, for logs. */
    String peerAddress();

    /** When the caller stops waiting; empty when it set no deadline. */
    Optional<Instant> deadline();

    /**
     * True once the answer can no longer reach anyone: the deadline passed, the caller cancelled, or
     * the connection closed. Long-running handlers check it or register {@link #onCancel}.
     */
    boolean isCancelled();

    /**
     * Runs {@code listener} once when the call is cancelled (at once if it already is); never if the
     * call completes first. It runs on whichever thread notices the cancellation, so keep it short.
     */
    void onCancel(Runnable listener);
}
