package io.charter.peer.endorsement;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.peer.contract.ContractFailure;
import io.charter.protocol.EndorsementRefusal;
import io.charter.protocol.ProposalResponse;
import org.junit.jupiter.api.Test;

class EndorsementRefusalWireTest {

    @Test
    void everyRefusalGoesOutAsTheWireCodeOfItsNameBesideTheMessage() {
        for (RefusalReason reason : RefusalReason.values()) {
            ProposalResponse response = new EndorsementResult.Refused(reason, "why").response();

            assertThat(response.getRefusal().name()).isEqualTo(reason.name());
            assertThat(response.getResponse().getStatus()).isEqualTo(reason.status());
            assertThat(response.getResponse().getMessage()).isEqualTo(reason + ": why");
        }
    }

    @Test
    void everyContractFailureGoesOutAsTheWireCodeOfItsNameBesideTheMessage() {
        for (ContractFailure failure : ContractFailure.values()) {
            ProposalResponse response = new EndorsementResult.ContractFailed(failure, "E42", "no such asset").response();

            assertThat(response.getRefusal().name()).isEqualTo(failure.name());
            assertThat(response.getResponse().getMessage()).isEqualTo(failure + " E42: no such asset");
        }
    }

    @Test
    void anEndorsementCarriesNoRefusal() {
        assertThat(new EndorsementResult.Endorsed(ProposalResponse.getDefaultInstance()).response().getRefusal())
                .isEqualTo(EndorsementRefusal.REFUSAL_NONE);
    }
}
