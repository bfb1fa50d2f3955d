package io.charter.common.admin;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.Signer;
import io.charter.common.pki.Certificates;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.protocol.UnpackedEnvelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.PayloadHeader;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signed administration requests of the peer's and the orderer's transports (docs/protocol-encodings.md):
 * an Envelope whose payload has an admin header ({@code PEER_ADMIN} or {@code ORDERER_ADMIN}: creator, nonce,
 * tx id = SHA-256(nonce || creator), signing time) and the node's request message as data, signed by the creator
 * over the payload as carried. A request is fresh when signed within {@link #MAX_CLOCK_SKEW} of the node's
 * clock and its tx id was not accepted before; accepted tx ids are remembered for twice that window, so a
 * captured request cannot be replayed. Who signed it is for the node's authorization. Thread-safe.
 */
public final class SignedAdminEnvelopes {

    /** How far a request's signing time may be from the node's clock, either way. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** At most this many accepted tx ids are remembered; beyond, requests are refused until old ones expire. */
    public static final int MAX_REMEMBERED = 100_000;

    private final HeaderType type;
    private final Clock clock;
    private final EcdsaVerifier verifier = new EcdsaVerifier();
    private final Map<String, Instant> accepted = new LinkedHashMap<>();

    /** Opens requests with header {@code type} only (PEER_ADMIN on a peer, ORDERER_ADMIN on an orderer). */
    public SignedAdminEnvelopes(HeaderType type, Clock clock) {
        this.type = type;
        this.clock = clock;
    }

    /** A request whose structure, time and signature are checked; {@code data} is the node's request message. */
    public record Opened(X509Certificate creator, String txId, ByteString data) {}

    /** Seals {@code data} as a request of header {@code type}, signed by {@code creator} now, with a fresh nonce. */
    public static ByteString seal(HeaderType type, ByteString data, ByteString creator, Signer signer, Instant now) {
        ByteString nonce = TransactionIds.newNonce();
        PayloadHeader header = PayloadHeader.newBuilder().setType(type)
                .setTxId(TransactionIds.compute(nonce, creator)).setNonce(nonce).setCreator(creator)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
        return Envelopes.seal(header, data, signer).toByteString();
    }

    /**
     * Parses and verifies a request.
     *
     * @throws AdminEnvelopeException MALFORMED_REQUEST, STALE_REQUEST or BAD_SIGNATURE
     */
    public Opened open(ByteString body) {
        if (!(Envelopes.unpack(body) instanceof EnvelopeUnpacking.Unpacked(UnpackedEnvelope envelope))) {
            throw malformed("the request is not a signed Envelope with a header and a creator");
        }
        if (envelope.header().getType() != type) {
            throw malformed("the request's header type is " + envelope.header().getType() + ", not " + type);
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
            throw new AdminEnvelopeException(AdminEnvelopeProblem.STALE_REQUEST, "the request was signed at " + signedAt
                    + ", more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes from this node's clock (" + now
                    + "): sign each request anew, and check the clocks");
        }
        X509Certificate creator;
        try {
            creator = Certificates.parseCertificate(envelope.creator().getCertificate().toByteArray());
        } catch (RuntimeException e) {
            throw malformed("the creator's certificate is not an X.509 certificate: " + e.getMessage());
        }
        if (!envelope.verifySignature(verifier, creator.getPublicKey())) {
            throw new AdminEnvelopeException(AdminEnvelopeProblem.BAD_SIGNATURE,
                    "the request's signature does not verify with its creator's certificate");
        }
        return new Opened(creator, envelope.header().getTxId(), envelope.data());
    }

    /**
     * Records an authorized request's tx id before it is carried out.
     *
     * @throws AdminEnvelopeException REPLAYED_REQUEST when it was accepted before (or too many are remembered)
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
            throw new AdminEnvelopeException(AdminEnvelopeProblem.REPLAYED_REQUEST, "a request with tx id " + txId
                    + " was accepted before: sign each request anew, with a fresh nonce");
        }
        if (accepted.size() >= MAX_REMEMBERED) {
            throw new AdminEnvelopeException(AdminEnvelopeProblem.REPLAYED_REQUEST, "this node remembers " + MAX_REMEMBERED
                    + " recent admin requests already and cannot tell a replay from a new one: retry in a few minutes");
        }
        accepted.put(txId, now);
    }

    private static AdminEnvelopeException malformed(String message) {
        return new AdminEnvelopeException(AdminEnvelopeProblem.MALFORMED_REQUEST, message);
    }
}
