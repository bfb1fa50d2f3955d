package io.charter.membership.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRegistrationTest {

    private static final TestPki PKI = TestPki.create("Org1MSP");

    @Test
    void encodingRoundTripsAndIsCanonical() {
        var org = PKI.organization("Org1MSP");
        NodeRegistration registration = NodeRegistration.of("peer0", "Org1MSP", Role.PEER,
                List.of(new Endpoint("peer0.example", 7051), new Endpoint("::1", 7052)), Map.of("b", 2L, "a", 1L), true,
                org.enroll("peer0", Role.PEER).certificate(), org.enrollTls("peer0", Role.PEER).certificate(),
                Instant.ofEpochMilli(1_700_000_000_123L));
        byte[] encoded = registration.encode();
        NodeRegistration decoded = NodeRegistration.decode(encoded);
        assertThat(decoded).isEqualTo(registration);
        assertThat(decoded.encode()).isEqualTo(encoded);

        Heartbeat heartbeat = Heartbeat.of("peer0", "Org1MSP", Map.of("z", 3L, "a", 0L), Instant.ofEpochMilli(42));
        assertThat(Heartbeat.decode(heartbeat.encode())).isEqualTo(heartbeat);
    }

    @Test
    void truncatedTrailingOrWrongKindBytesAreMalformed() {
        byte[] heartbeat = Heartbeat.of("peer0", "Org1MSP", Map.of("a", 1L), Instant.ofEpochMilli(42)).encode();
        for (byte[] bad : List.of(Arrays.copyOf(heartbeat, heartbeat.length - 1), Arrays.copyOf(heartbeat, heartbeat.length + 1),
                new byte[0])) {
            assertThatThrownBy(() -> Heartbeat.decode(bad))
                    .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.NODE_REQUEST_MALFORMED);
        }
        assertThatThrownBy(() -> NodeRegistration.decode(heartbeat))
                .extracting(e -> ((MembershipException) e).code()).isEqualTo(ErrorCode.NODE_REQUEST_MALFORMED);
    }
}
