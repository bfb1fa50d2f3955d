package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.crypto.Signer;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;

/**
 * Signs and opens envelopes. Unpacking reports malformed input as a value, because malformed input
 * is routine at a network boundary and callers must answer it with an error code, not crash.
 * Unpacking checks structure only: whether the signature verifies, the creator is trusted, the tx id
 * matches or the channel exists is for the validator. Unknown fields are accepted, as protobuf
 * intends, and do no harm since signatures cover the carried bytes, unknown fields included.
 */
public final class Envelopes {

    private Envelopes() {}

    /**
     * Serializes a Payload of {@code header} and {@code data} once, and signs exactly those bytes.
     * {@code header.creator} must identify {@code signer}, or validators will reject the envelope.
     */
    public static Envelope seal(PayloadHeader header, ByteString data, Signer signer) {
        ByteString payload = Payload.newBuilder().setHeader(header).setData(data).build().toByteString();
        byte[] signature = signer.sign(payload.toByteArray());
        return Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    public static EnvelopeUnpacking unpack(ByteString envelopeBytes) {
        Envelope envelope;
        try {
            envelope = Parsing.parse(Envelope.parser(), envelopeBytes);
        } catch (InvalidProtocolBufferException e) {
            return malformed(EnvelopeError.MALFORMED_ENVELOPE, "not an Envelope: " + e.getMessage());
        }
        return unpack(envelope);
    }

    public static EnvelopeUnpacking unpack(Envelope envelope) {
        Payload payload;
        try {
            payload = Parsing.parse(Payload.parser(), envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return malformed(EnvelopeError.MALFORMED_PAYLOAD, "envelope payload is not a Payload: " + e.getMessage());
        }
        if (!payload.hasHeader()) {
            return malformed(EnvelopeError.MISSING_HEADER, "payload has no header");
        }
        ByteString creatorBytes = payload.getHeader().getCreator();
        if (creatorBytes.isEmpty()) {
            return malformed(EnvelopeError.MISSING_CREATOR, "header has no creator");
        }
        SerializedIdentity creator;
        try {
            // Copied, not a view: its certificate may become a long-lived key of identity caches.
            creator = SerializedIdentity.parseFrom(creatorBytes);
        } catch (InvalidProtocolBufferException e) {
            return malformed(EnvelopeError.MALFORMED_CREATOR, "creator is not a SerializedIdentity: " + e.getMessage());
        }
        if (creator.getMspId().isEmpty() || creator.getCertificate().isEmpty()) {
            return malformed(EnvelopeError.MISSING_CREATOR, "creator names no MSP id or no certificate");
        }
        return new EnvelopeUnpacking.Unpacked(new UnpackedEnvelope(envelope, payload, creator));
    }

    private static EnvelopeUnpacking malformed(EnvelopeError error, String detail) {
        return new EnvelopeUnpacking.Malformed(error, detail);
    }
}
