package io.charter.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.protocol.OrdererAdminRefusal;
import io.charter.protocol.PeerAdminRefusal;
import org.junit.jupiter.api.Test;

/**
 * An envelope problem is a refusal of whichever node opened the envelope: the peer's and the orderer's refusal
 * enums both carry it, under its name and at the same number, so that the code a caller sees does not depend on
 * which kind of node it asked.
 */
class AdminEnvelopeProblemTest {

    @Test
    void everyProblemIsARefusalOfBothNodesAtTheSameNumber() {
        for (AdminEnvelopeProblem problem : AdminEnvelopeProblem.values()) {
            PeerAdminRefusal peer = PeerAdminRefusal.valueOf(problem.name());
            OrdererAdminRefusal orderer = OrdererAdminRefusal.valueOf(problem.name());

            assertThat(orderer.getNumber()).as(problem.name()).isEqualTo(peer.getNumber());
        }
    }
}
