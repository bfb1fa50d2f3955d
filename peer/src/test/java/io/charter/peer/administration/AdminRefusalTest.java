package io.charter.peer.administration;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.admin.AdminEnvelopeProblem;
import io.charter.common.transport.TransportException;
import io.charter.protocol.PeerAdminRefusal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every refusal of the peer is one value of the wire's {@link PeerAdminRefusal}, and every such value one refusal. */
class AdminRefusalTest {

    @Test
    void everyRefusalIsTheWireValueOfItsName() {
        for (AdminRefusal refusal : AdminRefusal.values()) {
            assertThat(refusal.wire().name()).as(refusal.name()).isEqualTo(refusal.name());
            assertThat(AdminRefusal.of(refusal.wire())).as(refusal.name()).contains(refusal);
        }
    }

    @Test
    void everyWireValueIsARefusal() {
        Set<PeerAdminRefusal> sent = Arrays.stream(AdminRefusal.values()).map(AdminRefusal::wire)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PeerAdminRefusal.class)));
        Set<PeerAdminRefusal> wire = EnumSet.allOf(PeerAdminRefusal.class);
        wire.removeAll(Set.of(PeerAdminRefusal.PEER_ADMIN_REFUSAL_UNSPECIFIED, PeerAdminRefusal.UNRECOGNIZED));

        assertThat(sent).isEqualTo(wire);
        assertThat(AdminRefusal.of(PeerAdminRefusal.PEER_ADMIN_REFUSAL_UNSPECIFIED)).isEmpty();
        assertThat(AdminRefusal.of(PeerAdminRefusal.UNRECOGNIZED)).isEmpty();
    }

    @Test
    void everyEnvelopeProblemIsARefusal() {
        for (AdminEnvelopeProblem problem : AdminEnvelopeProblem.values()) {
            assertThat(AdminRefusal.valueOf(problem.name()).wire()).isEqualTo(PeerAdminRefusal.valueOf(problem.name()));
        }
    }

    @Test
    void theTransportSendsTheWireValuesName() {
        TransportException frame = new AdminRefusedException(AdminRefusal.NOT_ADMIN, "act as an admin").toTransport();

        assertThat(frame.reason()).contains(PeerAdminRefusal.NOT_ADMIN.name());
        assertThat(frame.code()).isEqualTo(AdminRefusal.NOT_ADMIN.transportCode());
        assertThat(frame.detail()).isEqualTo("NOT_ADMIN: act as an admin");
    }
}
