package io.charter.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.client.config.OrganizationAddition;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Consenter;
import io.charter.protocol.Envelope;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.Payload;
import io.charter.protocol.SerializedIdentity;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelGenesisTest {

    private final TestPki pki = TestPki.create("OrdererMSP", "Org1MSP", "Org2MSP", "Org3MSP");

    @Test
    void buildsAGenesisBlockWithTheOrganizationsConsentersAndMajorityPolicies() throws Exception {
        List<ChannelGenesis.Organization> organizations = List.of(organization("OrdererMSP"),
                organization("Org1MSP"), organization("Org2MSP"), organization("Org3MSP"));
        var signing = pki.organization("OrdererMSP").enroll("orderer0", Role.ORDERER).certificate();
        var tls = pki.organization("OrdererMSP").enrollTls("orderer0", Role.ORDERER).certificate();
        Block block = ChannelGenesis.build("trade", organizations,
                List.of(new ChannelGenesis.Orderer("OrdererMSP", "orderer-0.orderer", 7051, signing, tls)), Instant.now());

        ChannelConfig config = config(Block.parseFrom(block.toByteArray()));
        assertThat(block.getHeader().getNumber()).isZero();
        assertThat(config.getChannelId()).isEqualTo("trade");
        assertThat(config.getOrganizationsList()).extracting(OrganizationConfig::getMspId)
                .containsExactly("OrdererMSP", "Org1MSP", "Org2MSP", "Org3MSP");
        OrganizationConfig org1 = config.getOrganizations(1);
        assertThat(org1.getRootCerts(0).toByteArray()).isEqualTo(pki.root().certificate().getEncoded());
        assertThat(org1.getTlsIntermediateCerts(0).toByteArray())
                .isEqualTo(pki.organization("Org1MSP").tlsCa().certificate().getEncoded());
        Consenter consenter = config.getOrderer().getConsenters(0);
        assertThat(consenter.getEndpoint().getHost()).isEqualTo("orderer-0.orderer");
        assertThat(consenter.getEndpoint().getPort()).isEqualTo(7051);
        assertThat(consenter.getServerTlsCert().toByteArray()).isEqualTo(tls.getEncoded());
        assertThat(SerializedIdentity.parseFrom(consenter.getIdentity()).getMspId()).isEqualTo("OrdererMSP");
        assertThat(config.getPoliciesMap())
                .containsEntry("Readers", "OR('Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')")
                .containsEntry("Admins", "OutOf(2, 'Org1MSP.admin', 'Org2MSP.admin', 'Org3MSP.admin')")
                .containsEntry("Endorsement", "OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')")
                .containsEntry("BlockValidation", "OutOf(1, 'OrdererMSP.orderer')");
        assertThat(config.getOrderer().getBatchSize().getMaxMessageCount()).isEqualTo(500);

        // every organization in the shape 'channel add-org' gives one: its own policies and its CRLs
        for (int i = 0; i < organizations.size(); i++) {
            OrganizationConfig organization = config.getOrganizations(i);
            assertThat(organization.getPoliciesMap()).as(organization.getMspId())
                    .isEqualTo(OrganizationAddition.standardPolicies(organization.getMspId()));
            assertThat(organization.getCrlsList()).extracting(ByteString::toByteArray).containsExactly(
                    organizations.get(i).crls().get(0).getEncoded(), organizations.get(i).crls().get(1).getEncoded());
        }
    }

    @Test
    void theLocalNetworksEndorsementNeedsBothOrganizations() {
        assertThat(ChannelGenesis.ENDORSEMENT).isEqualTo("AND('Org1MSP.peer', 'Org2MSP.peer')");
    }

    @Test
    void refusesAnOrdererWhoseOrganizationIsNotInTheChannel() {
        var signing = pki.organization("OrdererMSP").enroll("orderer0", Role.ORDERER).certificate();
        var tls = pki.organization("OrdererMSP").enrollTls("orderer0", Role.ORDERER).certificate();
        assertThatThrownBy(() -> ChannelGenesis.build("trade", List.of(organization("Org1MSP")),
                List.of(new ChannelGenesis.Orderer("OrdererMSP", "o", 7051, signing, tls)), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OrdererMSP is not in the channel");
    }

    @Test
    void refusesAChannelWithoutMembersOrOrderers() {
        var signing = pki.organization("OrdererMSP").enroll("orderer0", Role.ORDERER).certificate();
        var tls = pki.organization("OrdererMSP").enrollTls("orderer0", Role.ORDERER).certificate();
        assertThatThrownBy(() -> ChannelGenesis.build("trade", List.of(organization("OrdererMSP")),
                List.of(new ChannelGenesis.Orderer("OrdererMSP", "o", 7051, signing, tls)), Instant.now()))
                .hasMessageContaining("besides the orderers'");
        assertThatThrownBy(() -> ChannelGenesis.build("trade", List.of(organization("Org1MSP")), List.of(), Instant.now()))
                .hasMessageContaining("at least one orderer");
    }

    private ChannelGenesis.Organization organization(String mspId) {
        TestPki.Organization org = pki.organization(mspId);
        return new ChannelGenesis.Organization(mspId, new MembershipAdmin.CaCertificates(pki.root().certificate(),
                org.signingCa().certificate(), org.tlsCa().certificate()), List.of(), List.of(crl(org.signingCa()),
                crl(org.tlsCa())));
    }

    private static X509CRL crl(CertificateAuthority ca) {
        return ca.issueCrl(List.of(), BigInteger.ONE, Instant.now(), Instant.now().plus(Duration.ofDays(1)));
    }

    static ChannelConfig config(Block block) throws Exception {
        Envelope envelope = Envelope.parseFrom(block.getData().getEnvelopes(0));
        return ConfigEnvelope.parseFrom(Payload.parseFrom(envelope.getPayload()).getData()).getConfig();
    }
}
