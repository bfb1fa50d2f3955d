package io.charter.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspDefinition;
import io.charter.common.identity.MspRegistry;
import io.charter.common.identity.ValidatedIdentity;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.Role;
import io.charter.common.policy.Evaluation;
import io.charter.common.policy.Policy;
import io.charter.common.policy.PolicyEvaluator;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.SubPolicies;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.BlockMetadata;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrdererSignatureCheckTest {

    private static final TestPki PKI = TestPki.create("OrdererOrg", "ClientOrg");
    private static final TestPki OTHER_PKI = TestPki.create("OrdererOrg");
    private static final Policy ONE_ORDERER = PolicyParser.parse("OutOf(1, 'OrdererOrg.orderer')");

    private final IdentityValidator identities = new IdentityValidator(new MspRegistry(List.of(definition("OrdererOrg"),
            definition("ClientOrg"))));
    private final OrdererSignatureCheck.Signers signers = new OrdererSignatureCheck.Signers() {
        @Override
        public ValidationResult validate(String mspId, ByteString certificate) {
            return identities.validate(mspId, certificate);
        }

        @Override
        public Evaluation evaluate(Policy policy, Collection<ValidatedIdentity> valid) {
            return PolicyEvaluator.evaluate(policy, valid, SubPolicies.withDefaults("OrdererOrg", "ClientOrg"));
        }
    };

    @Test
    void aBlockSignedByAnOrdererOfTheChannelSatisfiesBlockValidation() {
        Block block = signed(unsignedBlock(), PKI.organization("OrdererOrg").enroll("orderer0", Role.ORDERER), "OrdererOrg");

        assertThat(OrdererSignatureCheck.problem(block, ONE_ORDERER, signers, new EcdsaVerifier())).isEmpty();
    }

    @Test
    void aBlockSignedByAClientOfTheChannelDoesNotSatisfyAPolicyNamingOrderers() {
        Block block = signed(unsignedBlock(), PKI.organization("OrdererOrg").enroll("client0", Role.CLIENT), "OrdererOrg");

        assertThat(OrdererSignatureCheck.problem(block, ONE_ORDERER, signers, new EcdsaVerifier()))
                .hasValueSatisfying(problem -> assertThat(problem).contains("do not satisfy BlockValidation"));
    }

    @Test
    void aBlockWhoseHeaderChangedAfterSigningIsRefusedAsNotVerifying() {
        Block signed = signed(unsignedBlock(), PKI.organization("OrdererOrg").enroll("orderer0", Role.ORDERER), "OrdererOrg");
        Block tampered = signed.toBuilder().setHeader(signed.getHeader().toBuilder().setNumber(2)).build();

        assertThat(OrdererSignatureCheck.problem(tampered, ONE_ORDERER, signers, new EcdsaVerifier()))
                .hasValueSatisfying(problem -> assertThat(problem).contains("does not verify"));
    }

    @Test
    void aSignerFromAnotherPkiWithTheSameMspIdIsNotAccepted() {
        Block block = signed(unsignedBlock(), OTHER_PKI.organization("OrdererOrg").enroll("orderer0", Role.ORDERER),
                "OrdererOrg");

        assertThat(OrdererSignatureCheck.problem(block, ONE_ORDERER, signers, new EcdsaVerifier()))
                .hasValueSatisfying(problem -> assertThat(problem).contains("not accepted"));
    }

    @Test
    void aBlockWithoutSignaturesIsRefused() {
        assertThat(OrdererSignatureCheck.problem(unsignedBlock(), ONE_ORDERER, signers, new EcdsaVerifier())).isPresent();
    }

    @Test
    void theDefaultPolicyAsksForOneOrdererOfAnyOrganization() {
        ChannelConfig config = ChannelConfig.newBuilder().setChannelId("c")
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("OrdererOrg"))
                .addOrganizations(OrganizationConfig.newBuilder().setMspId("ClientOrg"))
                .build();

        assertThat(OrdererSignatureCheck.policyText(config)).isEqualTo("OutOf(1, 'OrdererOrg.orderer', 'ClientOrg.orderer')");
        assertThat(OrdererSignatureCheck.policyText(config.toBuilder().putPolicies("BlockValidation", "ANY Admins").build()))
                .isEqualTo("ANY Admins");
        assertThat(OrdererSignatureCheck.policyText(ChannelConfig.getDefaultInstance())).isEqualTo("ANY Writers");
    }

    private static Block unsignedBlock() {
        Block genesis = Blocks.genesisBlock(ChannelConfig.newBuilder().setChannelId("c").build(), Instant.now());
        return Blocks.nextBlock(genesis.getHeader(), List.of(ByteString.copyFromUtf8("tx")), 0);
    }

    private static Block signed(Block block, TestPki.Credential credential, String mspId) {
        ByteString identity = SerializedIdentity.newBuilder().setMspId(mspId).setCertificate(der(credential)).build()
                .toByteString();
        BlockMetadata metadata = block.getMetadata().toBuilder()
                .addSignatures(BlockSignatures.sign(block.getHeader(), 0, EcdsaSigner.of(credential.keys()), identity))
                .build();
        return block.toBuilder().setMetadata(metadata).build();
    }

    private static MspDefinition definition(String mspId) {
        TestPki.Organization org = PKI.organization(mspId);
        return new MspDefinition(mspId, List.of(PKI.root().certificate()), List.of(org.signingCa().certificate()),
                List.of(), List.of(PKI.root().certificate()), List.of(org.tlsCa().certificate()));
    }

    private static ByteString der(TestPki.Credential credential) {
        try {
            return ByteString.copyFrom(credential.certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
