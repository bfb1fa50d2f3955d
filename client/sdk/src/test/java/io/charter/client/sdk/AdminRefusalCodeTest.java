package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AdminRefusalCodeTest {

    private static final TestPki PKI = TestPki.create("Org1");
    private static final Identity ADMIN = TestNetworkPki.identity(PKI, "Org1", "admin", Role.ADMIN);

    @Test
    void theRefusalCodeIsTheFramesReasonNotTheMessage() {
        assertThatThrownBy(() -> channelsRefusedWith(TransportException.withReason(ErrorCode.PERMISSION_DENIED,
                "NOT_ADMIN", "OTHER_ORGANIZATION: a message that looks like another code")))
                .isInstanceOfSatisfying(NodeAdminException.class, e -> {
                    assertThat(e.code()).isEqualTo("NOT_ADMIN");
                    assertThat(e.transportCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                });
    }

    @Test
    void aNodeWithoutTheReasonFieldIsReadFromItsMessagePrefix() {
        assertThatThrownBy(() -> channelsRefusedWith(new TransportException(ErrorCode.PERMISSION_DENIED,
                "OTHER_ORGANIZATION: the caller is of Org2")))
                .isInstanceOfSatisfying(NodeAdminException.class,
                        e -> assertThat(e.code()).isEqualTo("OTHER_ORGANIZATION"));
    }

    private static void channelsRefusedWith(TransportException refusal) {
        Function<ByteString, ByteString> refuse = request -> {
            throw refusal;
        };
        try (ScriptedNode peer = new ScriptedNode(PKI, "peer0", "Org1", Map.of(PeerMethodNames.CHANNELS, refuse));
             PeerAdmin admin = PeerAdmin.connect(ADMIN, List.of(PKI.root().certificate()), "127.0.0.1",
                     peer.endpoint().port(), Duration.ofSeconds(30))) {
            admin.channels();
        }
    }
}
