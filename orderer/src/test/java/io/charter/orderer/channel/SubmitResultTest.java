package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.orderer.channel.SubmitResult.Status;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The status codes orderers send each other in SUBMIT replies: a reordering or renumbering fails here. */
class SubmitResultTest {

    @Test
    void theWireCodesArePinned() {
        Map<Status, Integer> pinned = new LinkedHashMap<>();
        pinned.put(Status.COMMITTED, 0);
        pinned.put(Status.DUPLICATE_TXID, 1);
        pinned.put(Status.TOO_LARGE, 2);
        pinned.put(Status.MALFORMED, 3);
        pinned.put(Status.REJECTED, 4);
        pinned.put(Status.UNAVAILABLE, 5);
        pinned.put(Status.TIMEOUT, 6);
        pinned.put(Status.UNKNOWN_CHANNEL, 7);
        pinned.put(Status.UNKNOWN_CREATOR, 8);
        pinned.put(Status.REVOKED_CREATOR, 9);
        pinned.put(Status.EXPIRED_CREATOR, 10);
        pinned.put(Status.BAD_CREATOR, 11);
        pinned.put(Status.BAD_SIGNATURE, 12);
        pinned.put(Status.FORBIDDEN, 13);
        pinned.put(Status.BAD_TXID, 14);
        pinned.put(Status.CONFIG_SEQUENCE_MISMATCH, 15);
        pinned.put(Status.CONFIG_UNAUTHORIZED, 16);
        pinned.put(Status.CONFIG_INVALID, 17);
        pinned.put(Status.CONFIG_WRONG_CHANNEL, 18);

        assertThat(pinned.keySet()).as("every status has a pinned code").containsExactlyInAnyOrder(Status.values());
        pinned.forEach((status, code) -> assertThat(Byte.toUnsignedInt(status.code())).as(status.name()).isEqualTo(code));
        assertThat(BlockProducer.ACCEPTED).as("the leader's 'taken'").isEqualTo((byte) 0xFF);
    }

    @Test
    void everyStatusReadsBackFromItsCodeAndNoneTakesTheAcceptedCode() {
        for (Status status : Status.values()) {
            assertThat(Status.fromCode(status.code())).isSameAs(status);
            assertThat(status.code()).as(status.name()).isNotEqualTo(BlockProducer.ACCEPTED);
        }
        Set<Byte> codes = Arrays.stream(Status.values()).map(Status::code).collect(Collectors.toSet());
        assertThat(codes).as("codes are distinct").hasSize(Status.values().length);
    }

    @Test
    void everyOtherByteIsRefusedAsAnUnknownCode() {
        Set<Byte> codes = Arrays.stream(Status.values()).map(Status::code).collect(Collectors.toSet());
        for (int value = 0; value < 256; value++) {
            byte code = (byte) value;
            if (codes.contains(code)) {
                continue;
            }
            assertThatThrownBy(() -> Status.fromCode(code))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown submit status code " + value);
        }
    }
}
