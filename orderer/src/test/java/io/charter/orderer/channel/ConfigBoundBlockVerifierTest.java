package io.charter.orderer.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.pki.Role;
import io.charter.common.protocol.BlockSignatures;
import io.charter.common.protocol.Blocks;
import io.charter.common.testing.TestPki;
import io.charter.orderer.consensus.FetchedBlockRefusal;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBoundBlockVerifierTest {

    private static final TestPki PKI = TestPki.create("OrdererOrg", "ClientOrg", "NewOrdererOrg");
    private static final OrdererIdentity ORDERER = identity("OrdererOrg", "orderer0", Role.ORDERER);
    private static final OrdererIdentity NEW_ORDERER = identity("NewOrdererOrg", "orderer9", Role.ORDERER);

    private final ChannelConfig genesisConfig = ChannelConfig.newBuilder()
            .setChannelId("verify-channel")
            .addOrganizations(organization("OrdererOrg"))
            .addOrganizations(organization("ClientOrg"))
            .setOrderer(OrdererConfig.getDefaultInstance())
            .build();
    private final Block genesis = Blocks.genesisBlock(genesisConfig, Instant.now());
    /** The configuration in force, updated the way ChannelOrderer does when a config block is appended. */
    private ConfigBoundBlockVerifier.ConfigInForce inForce = new ConfigBoundBlockVerifier.ConfigInForce(genesisConfig, 0);
    private final ConfigBoundBlockVerifier verifier = new ConfigBoundBlockVerifier(() -> inForce, new EcdsaVerifier());

    @Test
    void aBlockSignedByAnOrdererOfTheChannelIsAccepted() {
        assertThat(verifier.refusal(next(genesis, 0, ORDERER))).isEmpty();
    }

    @Test
    void aBlockSignedByAnOrdererOfAnOrganizationOutsideTheChannelIsRefused() {
        assertThat(verifier.refusal(next(genesis, 0, NEW_ORDERER)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(FetchedBlockRefusal.Reason.BAD_ORDERER_SIGNATURES));
    }

    @Test
    void aBlockSignedByAClientOfTheChannelIsRefused() {
        OrdererIdentity client = identity("ClientOrg", "client0", Role.CLIENT);

        assertThat(verifier.refusal(next(genesis, 0, client)))
                .hasValueSatisfying(r -> assertThat(r.detail()).contains("BlockValidation"));
    }

    @Test
    void anUnsignedBlockIsRefused() {
        Block unsigned = Blocks.nextBlock(genesis.getHeader(), List.of(ByteString.copyFromUtf8("tx")), 0);

        assertThat(verifier.refusal(unsigned))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(FetchedBlockRefusal.Reason.BAD_ORDERER_SIGNATURES));
    }

    @Test
    void aBlockNamingAnotherLastConfigBlockIsRefused() {
        assertThat(verifier.refusal(next(genesis, 7, ORDERER)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(FetchedBlockRefusal.Reason.LAST_CONFIG_MISMATCH));
    }

    @Test
    void aFetchedConfigBlockChangesTheConfigurationForTheBlocksAfterIt() {
        ChannelConfig updated = genesisConfig.toBuilder()
                .setSequence(1)
                .addOrganizations(organization("NewOrdererOrg"))
                .build();
        Block configBlock = configBlock(genesis, updated, ORDERER);
        assertThat(verifier.refusal(configBlock)).isEmpty();
        Block signedByNewcomer = next(configBlock, 1, NEW_ORDERER);
        assertThat(verifier.refusal(signedByNewcomer)).as("before the config block is applied").isPresent();

        applied(configBlock);

        assertThat(verifier.refusal(signedByNewcomer)).isEmpty();
        assertThat(verifier.refusal(next(configBlock, 0, ORDERER)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(FetchedBlockRefusal.Reason.LAST_CONFIG_MISMATCH));
    }

    @Test
    void aConfigBlockIsSignedUnderTheConfigurationBeforeIt() {
        ChannelConfig takeover = genesisConfig.toBuilder().setSequence(1).addOrganizations(organization("NewOrdererOrg")).build();

        assertThat(verifier.refusal(configBlock(genesis, takeover, NEW_ORDERER)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(FetchedBlockRefusal.Reason.BAD_ORDERER_SIGNATURES));
    }

    @Test
    void aConfigBlockThatSkipsASequenceIsRefused() {
        ChannelConfig skipping = genesisConfig.toBuilder().setSequence(2).build();

        assertThat(verifier.refusal(configBlock(genesis, skipping, ORDERER)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(FetchedBlockRefusal.Reason.BAD_CONFIG));
    }

    @Test
    void aConfigBlockForAnotherChannelIsRefused() {
        ChannelConfig other = genesisConfig.toBuilder().setChannelId("other").setSequence(1).build();

        assertThat(verifier.refusal(configBlock(genesis, other, ORDERER)))
                .hasValueSatisfying(r -> assertThat(r.detail()).contains("'other'"));
    }

    private void applied(Block configBlock) {
        inForce = new ConfigBoundBlockVerifier.ConfigInForce(ConfigBlocks.configOf(configBlock).orElseThrow(),
                configBlock.getHeader().getNumber());
    }

    private static Block next(Block previous, long lastConfig, OrdererIdentity signer) {
        return sign(Blocks.nextBlock(previous.getHeader(), List.of(ByteString.copyFromUtf8("tx " + previous.getHeader().getNumber())),
                lastConfig), lastConfig, signer);
    }

    private static Block configBlock(Block previous, ChannelConfig config, OrdererIdentity signer) {
        long number = previous.getHeader().getNumber() + 1;
        ByteString envelope = ConfigBlocks.configEnvelope(config.getChannelId(), config, ByteString.EMPTY, signer);
        return sign(Blocks.nextBlock(previous.getHeader(), List.of(envelope), number), number, signer);
    }

    private static Block sign(Block unsigned, long lastConfig, OrdererIdentity signer) {
        return unsigned.toBuilder().setMetadata(unsigned.getMetadata().toBuilder().addSignatures(
                BlockSignatures.sign(unsigned.getHeader(), lastConfig, signer.signer(), signer.serialized()))).build();
    }

    private static OrdererIdentity identity(String mspId, String name, Role role) {
        TestPki.Credential credential = PKI.organization(mspId).enroll(name, role);
        return new OrdererIdentity(mspId, credential.certificate(), EcdsaSigner.of(credential.keys()));
    }

    private static OrganizationConfig organization(String mspId) {
        TestPki.Organization org = PKI.organization(mspId);
        return OrganizationConfig.newBuilder()
                .setMspId(mspId)
                .addRootCerts(der(PKI.root().certificate()))
                .addIntermediateCerts(der(org.signingCa().certificate()))
                .addTlsRootCerts(der(PKI.root().certificate()))
                .addTlsIntermediateCerts(der(org.tlsCa().certificate()))
                .build();
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
