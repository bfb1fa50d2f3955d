package io.charter.common.protocol;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.protocol.Envelope;
import io.charter.protocol.Payload;
import io.charter.protocol.PayloadHeader;
import io.charter.protocol.SerializedIdentity;
import java.security.PublicKey;

/**
 * An envelope with its payload, header and creator parsed. Only {@link Envelopes#unpack} makes one
 * (hence a class with a package-private constructor rather than a record), so the parsed parts are
 * always the parse of the bytes carried, and the only signed bytes this view offers are those
 * carried bytes: there is no way to verify against a re-serialized payload by mistake.
 */
public final class UnpackedEnvelope {

    private final Envelope envelope;
    private final Payload payload;
    private final SerializedIdentity creator;

    UnpackedEnvelope(Envelope envelope, Payload payload, SerializedIdentity creator) {
        this.envelope = envelope;
        this.payload = payload;
        this.creator = creator;
    }

    public Envelope envelope() {
        return envelope;
    }

    public Payload payload() {
        return payload;
    }

    public PayloadHeader header() {
        return payload.getHeader();
    }

    public SerializedIdentity creator() {
        return creator;
    }

    /** The creator exactly as carried in the header, for tx id checks and identity caches. */
    public ByteString creatorBytes() {
        return payload.getHeader().getCreator();
    }

    /** The payload's data, to be parsed according to {@code header().getType()}. */
    public ByteString data() {
        return payload.getData();
    }

    /** The bytes the creator signed: the envelope's payload exactly as carried. */
    public ByteString signedBytes() {
        return envelope.getPayload();
    }

    public ByteString signature() {
        return envelope.getSignature();
    }

    /**
     * Checks the envelope's signature against {@code creatorKey}, which the caller takes from
     * {@link #creator()}'s certificate after validating it.
     */
    public boolean verifySignature(SignatureVerifier verifier, PublicKey creatorKey) {
        return verifier.verify(creatorKey, signedBytes().toByteArray(), signature().toByteArray());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnpackedEnvelope that && envelope.equals(that.envelope);
    }

    @Override
    public int hashCode() {
        return envelope.hashCode();
    }

    @Override
    public String toString() {
        PayloadHeader header = header();
        return "UnpackedEnvelope[type=" + header.getType() + ", channel=" + header.getChannelId()
                + ", txId=" + header.getTxId() + ", creator=" + creator.getMspId() + "]";
    }
}
