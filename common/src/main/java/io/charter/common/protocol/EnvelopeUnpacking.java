package io.charter.common.protocol;

import java.util.Objects;

/** The outcome of {@link Envelopes#unpack}: a typed view, or the reason the input is malformed. */
public sealed interface EnvelopeUnpacking {

    record Unpacked(UnpackedEnvelope envelope) implements EnvelopeUnpacking {
        public Unpacked {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /** @param detail a message for the sender and the logs; not meant for parsing */
    record Malformed(EnvelopeError error, String detail) implements EnvelopeUnpacking {
        public Malformed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
