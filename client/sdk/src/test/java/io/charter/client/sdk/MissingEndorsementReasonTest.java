package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What "cannot satisfy ...: missing the endorsement of X (why)" says for each organization. */
class MissingEndorsementReasonTest {

    @Test
    void anOrganizationWhosePeersFailedIsExplainedByTheirFailures() {
        EndorsementFailure down = new EndorsementFailure("Org2MSP", "peer0.org2", 0, "UNAVAILABLE", "connection refused");

        assertThat(Network.missingReason("Org2MSP", List.of(down), Set.of("Org1MSP", "Org2MSP")))
                .isEqualTo("peer0.org2 (Org2MSP): UNAVAILABLE: connection refused");
    }

    @Test
    void anOrganizationWithKnownPeersThatWereNotAskedIsNotSaidToHaveNoPeer() {
        assertThat(Network.missingReason("Org1MSP", List.of(), Set.of("Org1MSP", "Org2MSP")))
                .startsWith("peers known, not asked").doesNotContain("no peer known");
    }

    @Test
    void noPeerKnownOnlyWhenDiscoveryKnowsNone() {
        assertThat(Network.missingReason("Org3MSP", List.of(), Set.of("Org1MSP", "Org2MSP"))).isEqualTo("no peer known");
    }
}
