package io.charter.common.protocol;

/**
 * Why an envelope could not be unpacked. The names are stable: they go into error frames and logs
 * and map onto block validation codes (BAD_PAYLOAD, BAD_HEADER, ...).
 */
public enum EnvelopeError {
    /** The bytes are not a protobuf Envelope. */
    MALFORMED_ENVELOPE,
    /** The envelope's payload bytes are not a protobuf Payload (including a malformed header inside it). */
    MALFORMED_PAYLOAD,
    /** The payload has no header. */
    MISSING_HEADER,
    /** The header carries no creator, or one without MSP id or certificate. */
    MISSING_CREATOR,
    /** The header's creator bytes are not a protobuf SerializedIdentity. */
    MALFORMED_CREATOR
}
