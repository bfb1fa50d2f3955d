package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.pki.Role;
import io.charter.common.protocol.EnvelopeUnpacking;
import io.charter.common.protocol.Envelopes;
import io.charter.common.protocol.Proposals;
import io.charter.common.protocol.TransactionIds;
import io.charter.common.testing.TestPki;
import io.charter.protocol.ContractInvocation;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.ProposalResponse;
import io.charter.protocol.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedProposalBuilderTest {

    private static final TestPki PKI = TestPki.create("Org1");
    private static final Identity CLIENT = TestNetworkPki.identity(PKI, "Org1", "client", Role.CLIENT);

    private final SignedProposalBuilder builder = new SignedProposalBuilder(CLIENT, Clock.systemUTC());

    @Test
    void aProposalCarriesTheInvocationTheCreatorAndATxIdDerivedFromTheNonce() throws Exception {
        SignedProposalBuilder.Proposed proposed = builder.invoke("trade", "assets",
                Invocation.of("Transfer", "a1", "bob").withTransient(Map.of("price", "42".getBytes(StandardCharsets.UTF_8))));

        assertThat(proposed.header().getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION);
        assertThat(proposed.header().getChannelId()).isEqualTo("trade");
        assertThat(proposed.header().getCreator()).isEqualTo(CLIENT.serialized());
        assertThat(proposed.txId()).isEqualTo(TransactionIds.compute(proposed.header().getNonce(), CLIENT.serialized()));
        ContractInvocation invocation = ContractInvocation.parseFrom(proposed.proposal().getPayload());
        assertThat(invocation.getContractName()).isEqualTo("assets");
        assertThat(invocation.getFunction()).isEqualTo("Transfer");
        assertThat(invocation.getArgsList()).containsExactly(ByteString.copyFromUtf8("a1"), ByteString.copyFromUtf8("bob"));
        assertThat(proposed.proposal().getTransientMapMap()).containsKey("price");
        assertThat(new EcdsaVerifier().verify(CLIENT.certificate().getPublicKey(),
                proposed.signed().getProposalBytes().toByteArray(), proposed.signed().getSignature().toByteArray())).isTrue();
    }

    @Test
    void twoProposalsOfTheSameCallHaveDifferentTxIds() {
        assertThat(builder.invoke("trade", "assets", Invocation.of("Get")).txId())
                .isNotEqualTo(builder.invoke("trade", "assets", Invocation.of("Get")).txId());
    }

    @Test
    void theEnvelopeCarriesTheProposalBytesUnchangedAndIsSignedByTheCreator() throws Exception {
        SignedProposalBuilder.Proposed proposed = builder.invoke("trade", "assets", Invocation.of("Put", "k", "v"));
        TestPki.Credential peer = TestNetworkPki.peerCredential(PKI, "Org1", "peer0");
        ProposalResponse response = TestNetworkPki.endorse(proposed.signed(), "Org1", peer, ByteString.copyFromUtf8("rw"),
                ByteString.EMPTY);

        Envelope envelope = builder.envelope(proposed, response.getPayload(), List.of(response.getEndorsement()));

        var unpacked = (EnvelopeUnpacking.Unpacked) Envelopes.unpack(envelope);
        assertThat(unpacked.envelope().header().getTxId()).isEqualTo(proposed.txId());
        assertThat(new EcdsaVerifier().verify(CLIENT.certificate().getPublicKey(), envelope.getPayload().toByteArray(),
                envelope.getSignature().toByteArray())).isTrue();
        Transaction transaction = Transaction.parseFrom(unpacked.envelope().payload().getData());
        var action = transaction.getActions(0);
        assertThat(action.getHeader()).isEqualTo(proposed.proposal().getHeader());
        assertThat(Proposals.hash(action)).isEqualTo(Proposals.hash(proposed.proposal()));
        assertThat(action.getEndorsedAction().getEndorsementsList()).containsExactly(response.getEndorsement());
    }
}
