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
    EnvelopeValidator ACCEPT_ALL = (channelId, envelope) -> Optional.empty();

    /** Empty if {@code envelope} may be ordered on {@code channelId}, else why not. */
    Optional<String> rejection(String channelId, UnpackedEnvelope envelope);
}
