package io.charter.orderer.channel;

import io.charter.common.protocol.UnpackedEnvelope;
import java.util.Optional;

/**
 * The checks of an envelope that need the channel's identities and policies: creator certificate
 * valid for the channel's organizations, signature, Writers policy. They are the broadcast layer's;
 * the orderer core only checks size, structure, channel and duplicate tx ids itself.
 */
@FunctionalInterface
public interface EnvelopeValidator {

    /** Accepts everything (for tests and for the core alone). */
    EnvelopeValidator ACCEPT_ALL = (channel, envelope) -> Optional.empty();

    /**
     * Empty if {@code envelope} may be ordered on {@code channel}, else why not. Called on every
     * submission, so it must be fast and thread-safe.
     */
    Optional<Rejection> rejection(ChannelOrderer channel, UnpackedEnvelope envelope);

    /** A refusal: its status (a reason code of its own) and a message for people. */
    record Rejection(SubmitResult.Status status, String detail) {
        public Rejection {
            if (status == null || status.ordered() || status == SubmitResult.Status.UNAVAILABLE
                    || status == SubmitResult.Status.TIMEOUT) {
                throw new IllegalArgumentException("not a rejection status: " + status);
            }
            detail = detail == null ? "" : detail;
        }

        public static Rejection of(SubmitResult.Status status, String detail) {
            return new Rejection(status, detail);
        }
    }
}
