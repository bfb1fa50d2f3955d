package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.protocol.EndorsementRefusal;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.Response;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {

    private static final EndorsementRefusal NONE = EndorsementRefusal.REFUSAL_NONE;

    private static final TestPki PKI = TestPki.create("Org1", "Org2");
    private static final Identity CLIENT = TestNetworkPki.identity(PKI, "Org1", "client", Role.CLIENT);
    private static final TestPki.Credential PEER = TestNetworkPki.peerCredential(PKI, "Org2", "peer0");
    private static final NodeEndpoint ENDPOINT = new NodeEndpoint("peer0.org2", "Org2", "127.0.0.1", 7051);

    private final SignedProposalBuilder builder = new SignedProposalBuilder(CLIENT, Clock.systemUTC());
    private final SignedProposalBuilder.Proposed proposed = builder.invoke("trade", "assets", Invocation.of("Put", "k", "v"));

    @Test
    void aSignedEndorsementOfThisProposalIsAccepted() {
        ProposalResponse response = TestNetworkPki.endorse(proposed.signed(), "Org2", PEER, ByteString.copyFromUtf8("rw"),
                ByteString.copyFromUtf8("ok"));

        ResponseCheck.Outcome outcome = ResponseCheck.check(proposed, ENDPOINT, response);

        assertThat(outcome).isInstanceOfSatisfying(ResponseCheck.Endorsed.class, e -> {
            assertThat(e.endorser().mspId()).isEqualTo("Org2");
            assertThat(e.endorser().role()).isEqualTo(Role.PEER);
        });
    }

    @Test
    void anEndorsementOfAnotherProposalIsRefused() {
        SignedProposalBuilder.Proposed other = builder.invoke("trade", "assets", Invocation.of("Put", "k", "v"));
        ProposalResponse response = TestNetworkPki.endorse(other.signed(), "Org2", PEER, ByteString.EMPTY, ByteString.EMPTY);

        assertThat(ResponseCheck.check(proposed, ENDPOINT, response)).isInstanceOfSatisfying(ResponseCheck.Failed.class,
                f -> {
                    assertThat(f.failure().reason()).isEqualTo("BAD_ENDORSEMENT");
                    assertThat(f.failure().message()).contains("proposal hash");
                });
    }

    @Test
    void aTamperedPayloadDoesNotVerify() {
        ProposalResponse response = TestNetworkPki.endorse(proposed.signed(), "Org2", PEER, ByteString.copyFromUtf8("rw"),
                ByteString.EMPTY);
        io.charter.protocol.ProposalResponsePayload payload;
        try {
            payload = io.charter.protocol.ProposalResponsePayload.parseFrom(response.getPayload());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        ProposalResponse tampered = response.toBuilder()
                .setPayload(payload.toBuilder().setResults(ByteString.copyFromUtf8("other")).build().toByteString()).build();

        assertThat(ResponseCheck.check(proposed, ENDPOINT, tampered)).isInstanceOfSatisfying(ResponseCheck.Failed.class,
                f -> assertThat(f.failure().message()).contains("does not verify"));
    }

    @Test
    void aRefusalKeepsThePeersReasonCodeAndStatus() {
        ResponseCheck.Outcome outcome = ResponseCheck.check(proposed, ENDPOINT,
                TestNetworkPki.refuse(403, "CREATOR_REVOKED: the certificate of client is revoked"));

        assertThat(outcome).isInstanceOfSatisfying(ResponseCheck.Failed.class, f -> {
            assertThat(f.failure().reason()).isEqualTo("CREATOR_REVOKED");
            assertThat(f.failure().status()).isEqualTo(403);
            assertThat(f.failure().mspId()).isEqualTo("Org2");
            assertThat(f.failure().peer()).isEqualTo("peer0.org2");
        });
    }

    @Test
    void aPeerWithoutTheCodeFieldIsReadFromItsMessagePrefix() {
        assertThat(ResponseCheck.reason(NONE, 500, "CONTRACT_ERROR ASSET_EXISTS: asset a1 already exists"))
                .isEqualTo("CONTRACT_FAILED");
        assertThat(ResponseCheck.reason(NONE, 500, "CONTRACT_TIMEOUT CONTRACT_TIMEOUT: ran for more than 5 s"))
                .isEqualTo("CONTRACT_FAILED");
        assertThat(ResponseCheck.reason(NONE, 404, "UNDEFINED_CONTRACT: no contract 'x' on trade"))
                .isEqualTo("UNDEFINED_CONTRACT");
        assertThat(ResponseCheck.reason(NONE, 502, "something else")).isEqualTo("STATUS_502");
    }

    @Test
    void everyWireCodeIsReadFromTheCodeNotTheMessage() {
        Set<EndorsementRefusal> contractFailures = EnumSet.of(EndorsementRefusal.UNKNOWN_FUNCTION,
                EndorsementRefusal.BAD_ARGUMENTS, EndorsementRefusal.CONTRACT_ERROR, EndorsementRefusal.CONTRACT_TIMEOUT);
        for (EndorsementRefusal code : EndorsementRefusal.values()) {
            if (code == NONE || code == EndorsementRefusal.UNRECOGNIZED) {
                continue;
            }
            String expected = contractFailures.contains(code) ? "CONTRACT_FAILED" : code.name();

            assertThat(ResponseCheck.reason(code, 400, "OTHER_PREFIX: a message in other words")).as(code.name())
                    .isEqualTo(expected);
        }
    }

    @Test
    void aBusyPeerIsReportedAsBusyFromItsCode() {
        assertThat(ResponseCheck.reason(EndorsementRefusal.CONTRACT_UNAVAILABLE, 500, "busy"))
                .isEqualTo(ResponseCheck.BUSY);
    }

    @Test
    void aRefusalCodeInTheResponseIsWhatTheFailureReports() {
        ProposalResponse response = ProposalResponse.newBuilder().setRefusal(EndorsementRefusal.CONTRACT_NOT_INSTALLED)
                .setResponse(Response.newBuilder().setStatus(404).setMessage("not installed here")).build();

        assertThat(ResponseCheck.check(proposed, ENDPOINT, response)).isInstanceOfSatisfying(ResponseCheck.Failed.class,
                f -> assertThat(f.failure().reason()).isEqualTo("CONTRACT_NOT_INSTALLED"));
    }

    @Test
    void twoHundredWithoutAnEndorsementIsRefused() {
        ProposalResponse response = TestNetworkPki.endorse(proposed.signed(), "Org2", PEER, ByteString.EMPTY, ByteString.EMPTY)
                .toBuilder().clearEndorsement().build();

        assertThat(ResponseCheck.check(proposed, ENDPOINT, response)).isInstanceOf(ResponseCheck.Failed.class);
    }
}
