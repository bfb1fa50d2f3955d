package io.charter.peer.administration;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.admin.AdminEnvelopeException;
import io.charter.common.admin.SignedAdminEnvelopes;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PeerAdminRequest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * Opens the signed administration requests of the peer's transport (peer.proto): PEER_ADMIN envelopes checked by
 * the shared {@link SignedAdminEnvelopes} (structure, freshness, signature, replay memory) whose data is a
 * PeerAdminRequest for the method called. Thread-safe.
 */
public final class SignedAdminRequests {

    /** How far a request's signing time may be from this peer's clock, either way. */
    public static final Duration MAX_CLOCK_SKEW = SignedAdminEnvelopes.MAX_CLOCK_SKEW;
    /** At most this many accepted tx ids are remembered; beyond, requests are refused until old ones expire. */
    static final int MAX_REMEMBERED = SignedAdminEnvelopes.MAX_REMEMBERED;

    private final SignedAdminEnvelopes envelopes;

    public SignedAdminRequests(Clock clock) {
        this.envelopes = new SignedAdminEnvelopes(HeaderType.PEER_ADMIN, clock);
    }

    /** A request whose structure, time and signature are checked; who signed it is for {@link AdminAuthorization}. */
    public record Opened(X509Certificate creator, String txId, PeerAdminRequest request) {}

    /**
     * Parses and verifies a request for a method that takes {@code expected}.
     *
     * @throws AdminRefusedException MALFORMED_REQUEST, STALE_REQUEST or BAD_SIGNATURE
     */
    public Opened open(ByteString body, PeerAdminRequest.RequestCase expected) {
        SignedAdminEnvelopes.Opened opened;
        try {
            opened = envelopes.open(body);
        } catch (AdminEnvelopeException e) {
            throw refusal(e);
        }
        PeerAdminRequest request;
        try {
            request = PeerAdminRequest.parseFrom(opened.data());
        } catch (InvalidProtocolBufferException e) {
            throw new AdminRefusedException(AdminRefusal.MALFORMED_REQUEST, "the request's data is not a PeerAdminRequest");
        }
        if (request.getRequestCase() != expected) {
            throw new AdminRefusedException(AdminRefusal.MALFORMED_REQUEST, "the request is a " + request.getRequestCase()
                    + " request, but the method called takes " + expected);
        }
        return new Opened(opened.creator(), opened.txId(), request);
    }

    /**
     * Records an authorized request's tx id before it is carried out.
     *
     * @throws AdminRefusedException REPLAYED_REQUEST when it was accepted before (or too many are remembered)
     */
    public void accept(String txId) {
        try {
            envelopes.accept(txId);
        } catch (AdminEnvelopeException e) {
            throw refusal(e);
        }
    }

    private static AdminRefusedException refusal(AdminEnvelopeException e) {
        return new AdminRefusedException(AdminRefusal.valueOf(e.problem().name()), e.getMessage());
    }
}
