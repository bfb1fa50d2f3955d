package io.charter.peer.administration;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.pki.Certificates;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PeerAdminRequest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the signed administration requests of the transport (peer.proto): an Envelope whose payload has a
 * PEER_ADMIN header (creator, nonce, tx id = SHA-256(nonce || creator), signing time) and a PeerAdminRequest
 * as data, signed by the creator over the payload as carried. A request is fresh when signed within
 * {@link #MAX_CLOCK_SKEW} of this peer's clock and its tx id was not accepted before; accepted tx ids are
 * remembered for twice that window, so a captured request cannot be replayed. Thread-safe.
 */
public final class SignedAdminRequests {

    /** How far a request's signing time may be from this peer's clock, either way. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** At most this many accepted tx ids are remembered; beyond, requests are refused until old ones expire. */
    static final int MAX_REMEMBERED = 100_000;

    private final Clock clock;
    private final EcdsaVerifier verifier = new EcdsaVerifier();
    private final Map<String, Instant> accepted = new LinkedHashMap<>();

    public SignedAdminRequests(Clock clock) {
        this.clock = clock;
    }

    /** A request whose structure, time and signature are checked; who signed it is for {@link AdminAuthorization}. */
    public record Opened(X509Certificate creator, String txId, PeerAdminRequest request) {}

    /**
     * Parses and verifies a request for a method that takes {@code expected}.
     *
     * @throws AdminRefusedException MALFORMED_REQUEST, STALE_REQUEST or BAD_SIGNATURE
     */
    public Opened open(ByteString body, PeerAdminRequest.RequestCase expected) {
        if (!(Envelopes.unpack(body) instanceof EnvelopeUnpacking.Unpacked(UnpackedEnvelope envelope))) {
            throw malformed("the request is not a signed Envelope with a header and a creator");
        }
        if (envelope.header().getType() != HeaderType.PEER_ADMIN) {
            throw malformed("the request's header type is " + envelope.header().getType() + ", not PEER_ADMIN");
        }
        if (envelope.header().getNonce().isEmpty()
                || !envelope.header().getTxId().equals(TransactionIds.compute(envelope.header().getNonce(),
                        envelope.creatorBytes()))) {
            throw malformed("the request's tx id is not SHA-256(nonce || creator) of its header");
        }
        if (!envelope.header().hasTimestamp()) {
            throw malformed("the request has no signing time");
        }
        Instant signedAt = Instant.ofEpochSecond(envelope.header().getTimestamp().getSeconds(),
                envelope.header().getTimestamp().getNanos());
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_CLOCK_SKEW)) || signedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new AdminRefusedException(AdminRefusal.STALE_REQUEST, "the request was signed at " + signedAt
                    + ", more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes from this peer's clock (" + now
                    + "): sign each request anew, and check the clocks");
        }
        X509Certificate creator;
        try {
            creator = Certificates.parseCertificate(envelope.creator().getCertificate().toByteArray());
        } catch (RuntimeException e) {
            throw malformed("the creator's certificate is not an X.509 certificate: " + e.getMessage());
        }
        if (!envelope.verifySignature(verifier, creator.getPublicKey())) {
            throw new AdminRefusedException(AdminRefusal.BAD_SIGNATURE,
                    "the request's signature does not verify with its creator's certificate");
        }
        PeerAdminRequest request;
        try {
            request = PeerAdminRequest.parseFrom(envelope.data());
        } catch (InvalidProtocolBufferException e) {
            throw malformed("the request's data is not a PeerAdminRequest");
        }
        if (request.getRequestCase() != expected) {
            throw malformed("the request is a " + request.getRequestCase() + " request, but the method called takes "
                    + expected);
        }
        return new Opened(creator, envelope.header().getTxId(), request);
    }

    /**
     * Records an authorized request's tx id before it is carried out.
     *
     * @throws AdminRefusedException REPLAYED_REQUEST when it was accepted before (or too many are remembered)
     */
    public synchronized void accept(String txId) {
        Instant now = clock.instant();
        Instant forgetBefore = now.minus(MAX_CLOCK_SKEW.multipliedBy(2));
        for (Iterator<Instant> it = accepted.values().iterator(); it.hasNext(); ) {
            if (!it.next().isBefore(forgetBefore)) {
                break;
            }
            it.remove();
        }
        if (accepted.containsKey(txId)) {
            throw new AdminRefusedException(AdminRefusal.REPLAYED_REQUEST, "a request with tx id " + txId
                    + " was accepted before: sign each request anew, with a fresh nonce");
        }
        if (accepted.size() >= MAX_REMEMBERED) {
            throw new AdminRefusedException(AdminRefusal.REPLAYED_REQUEST, "this peer remembers " + MAX_REMEMBERED
                    + " recent admin requests already and cannot tell a replay from a new one: retry in a few minutes");
        }
        accepted.put(txId, now);
    }

    private static AdminRefusedException malformed(String message) {
        return new AdminRefusedException(AdminRefusal.MALFORMED_REQUEST, message);
    }
}
