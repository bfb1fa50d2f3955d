package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's and the values' own checks: what a caller gets wrong before anything is sent. */
class GatewayTest {

    private static final TestPki PKI = TestPki.create("Org1");
    private static final Identity CLIENT = TestNetworkPki.identity(PKI, "Org1", "client", Role.CLIENT);
    private static final NodeEndpoint PEER = new NodeEndpoint("peer0", "Org1", "127.0.0.1", 7051);
    private static final NodeEndpoint ORDERER = new NodeEndpoint("orderer1", "OrdererOrg", "127.0.0.1", 7050);

    @Test
    void aGatewayNeedsTrustRoots() {
        assertThatThrownBy(() -> Gateway.builder(CLIENT).peers(List.of(PEER)).orderers(List.of(ORDERER)).connect())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trust roots");
    }

    @Test
    void aGatewayNeedsDiscoveryOrEndpoints() {
        assertThatThrownBy(() -> Gateway.builder(CLIENT).trustRoots(List.of(PKI.root().certificate())).peers(List.of(PEER))
                .connect())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("membership service");
    }

    @Test
    void aClosedGatewayCancelsEveryStep() {
        Gateway gateway = Gateway.builder(CLIENT).trustRoots(List.of(PKI.root().certificate())).peers(List.of(PEER))
                .orderers(List.of(ORDERER)).connect();
        Network network = gateway.network("trade");
        gateway.close();

        assertThatThrownBy(() -> network.contract("assets").evaluate("Read"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.step()).isEqualTo(Step.EVALUATE);
                    assertThat(e.code()).isEqualTo(SdkErrorCode.CANCELLED);
                });
        assertThatThrownBy(() -> network.contract("assets").submit("Put"))
                .isInstanceOfSatisfying(SdkException.class, e -> assertThat(e.step()).isEqualTo(Step.ENDORSE));
        assertThatThrownBy(() -> network.commitStatus("abc"))
                .isInstanceOfSatisfying(SdkException.class, e -> assertThat(e.step()).isEqualTo(Step.COMMIT));
        assertThatThrownBy(() -> network.blockEvents(0))
                .isInstanceOfSatisfying(SdkException.class, e -> assertThat(e.step()).isEqualTo(Step.EVENTS));
    }

    @Test
    void aPolicyThatDoesNotParseIsRefusedWithItsPosition() {
        Gateway gateway = Gateway.builder(CLIENT).trustRoots(List.of(PKI.root().certificate())).peers(List.of(PEER))
                .orderers(List.of(ORDERER)).connect();
        try (gateway) {
            assertThatThrownBy(() -> gateway.network("trade").contract("assets", "AND('Org1.peer'"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not parse");
        }
    }

    @Test
    void anExplicitPolicyIsPlannedAsGivenWithoutAskingAPeer() {
        Gateway gateway = Gateway.builder(CLIENT).trustRoots(List.of(PKI.root().certificate()))
                .peers(List.of(PEER, new NodeEndpoint("peer0.org2", "Org2", "127.0.0.1", 7052))).orderers(List.of(ORDERER))
                .connect();
        try (gateway) {
            assertThat(gateway.network("trade").contract("assets", "OR('Org1.peer', 'Org2.peer')").endorsementPlan())
                    .isEqualTo("OR('Org1.peer', 'Org2.peer')");
        }
    }

    @Test
    void anInvocationKeepsItsOwnCopyOfTheArguments() {
        byte[] argument = "a1".getBytes(StandardCharsets.UTF_8);
        List<byte[]> args = new ArrayList<>(List.of(argument));
        Invocation invocation = Invocation.ofBytes("Read", args);
        argument[0] = 'x';
        args.clear();

        assertThat(new String(invocation.args().getFirst(), StandardCharsets.UTF_8)).isEqualTo("a1");
    }

    @Test
    void badInvocationsAndTimeoutsAreRefused() {
        assertThatThrownBy(() -> Invocation.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Invocation.of("Put").withMvccRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Invocation("Put", List.of(), Map.of("k", new byte[0]), 0).transientData().put("x", null))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Timeouts.defaults().withCommit(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeEndpoint("p", "Org1", "localhost", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
