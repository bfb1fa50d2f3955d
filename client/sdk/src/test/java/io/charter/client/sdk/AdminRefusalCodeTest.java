package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.protocol.OrdererMethodNames;
import io.charter.common.protocol.PeerMethodNames;
import io.charter.common.testing.TestPki;
import io.charter.common.transport.ErrorCode;
import io.charter.common.transport.TransportException;
import io.charter.protocol.OrdererAdminRefusal;
import io.charter.protocol.PeerAdminRefusal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A node's refusal reaches the caller as its wire enum, read from the error frame's reason, never from the message. */
class AdminRefusalCodeTest {

    private static final TestPki PKI = TestPki.create("Org1");
    private static final Identity ADMIN = TestNetworkPki.identity(PKI, "Org1", "admin", Role.ADMIN);

    @Test
    void theRefusalIsTheFramesReasonNotTheMessage() {
        assertThatThrownBy(() -> channelsRefusedWith(TransportException.withReason(ErrorCode.PERMISSION_DENIED,
                "NOT_ADMIN", "OTHER_ORGANIZATION: a message that looks like another code")))
                .isInstanceOfSatisfying(PeerAdmin.PeerAdminException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(PeerAdminRefusal.NOT_ADMIN);
                    assertThat(e.code()).isEqualTo("NOT_ADMIN");
                    assertThat(e.transportCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                });
    }

    @Test
    void aNodeWithoutTheReasonFieldIsReadFromItsMessagePrefix() {
        assertThatThrownBy(() -> channelsRefusedWith(new TransportException(ErrorCode.PERMISSION_DENIED,
                "OTHER_ORGANIZATION: the caller is of Org2")))
                .isInstanceOfSatisfying(PeerAdmin.PeerAdminException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(PeerAdminRefusal.OTHER_ORGANIZATION);
                    assertThat(e.code()).isEqualTo("OTHER_ORGANIZATION");
                });
    }

    @Test
    void aReasonThisSdkDoesNotKnowIsUnrecognizedAndKeepsItsName() {
        assertThatThrownBy(() -> channelsRefusedWith(TransportException.withReason(ErrorCode.INVALID_ARGUMENT,
                "A_CODE_OF_A_NEWER_PEER", "A_CODE_OF_A_NEWER_PEER: upgrade the SDK")))
                .isInstanceOfSatisfying(PeerAdmin.PeerAdminException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(PeerAdminRefusal.UNRECOGNIZED);
                    assertThat(e.code()).isEqualTo("A_CODE_OF_A_NEWER_PEER");
                    assertThat(e.getMessage()).isEqualTo("upgrade the SDK");
                });
    }

    @Test
    void aFailureThatIsNoRefusalIsUnspecified() {
        assertThatThrownBy(() -> channelsRefusedWith(new TransportException(ErrorCode.INTERNAL, "the handler failed")))
                .isInstanceOfSatisfying(PeerAdmin.PeerAdminException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(PeerAdminRefusal.PEER_ADMIN_REFUSAL_UNSPECIFIED);
                    assertThat(e.code()).isEqualTo("INTERNAL");
                });
    }

    @Test
    void anOrderersRefusalIsItsOwnEnum() {
        Function<ByteString, ByteString> refuse = request -> {
            throw TransportException.withReason(ErrorCode.INVALID_ARGUMENT, "NOT_A_CONSENTER",
                    "NOT_A_CONSENTER: the channel's consenters do not include orderer0");
        };
        assertThatThrownBy(() -> {
            try (ScriptedNode orderer = new ScriptedNode(PKI, "orderer0", "Org1", Map.of(OrdererMethodNames.CHANNELS, refuse));
                 OrdererAdmin admin = OrdererAdmin.connect(ADMIN, List.of(PKI.root().certificate()), "127.0.0.1",
                         orderer.endpoint().port(), Duration.ofSeconds(30))) {
                admin.channels();
            }
        }).isInstanceOfSatisfying(OrdererAdmin.OrdererAdminException.class, e -> {
            assertThat(e.refusal()).isEqualTo(OrdererAdminRefusal.NOT_A_CONSENTER);
            assertThat(e.code()).isEqualTo("NOT_A_CONSENTER");
        });
    }

    @Test
    void parsingAReasonNeverThrows() {
        assertThat(PeerAdmin.PeerAdminException.refusalOf("ALREADY_JOINED")).isEqualTo(PeerAdminRefusal.ALREADY_JOINED);
        assertThat(PeerAdmin.PeerAdminException.refusalOf("not a code")).isEqualTo(PeerAdminRefusal.UNRECOGNIZED);
        assertThat(PeerAdmin.PeerAdminException.refusalOf("")).isEqualTo(PeerAdminRefusal.UNRECOGNIZED);
        assertThat(OrdererAdmin.OrdererAdminException.refusalOf("JOIN_FAILED")).isEqualTo(OrdererAdminRefusal.JOIN_FAILED);
        assertThat(OrdererAdmin.OrdererAdminException.refusalOf("OTHER_ORGANIZATION"))
                .as("a peer's code, not an orderer's").isEqualTo(OrdererAdminRefusal.UNRECOGNIZED);
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
