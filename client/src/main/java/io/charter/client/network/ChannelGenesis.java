package io.charter.client.network;

import com.google.protobuf.ByteString;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.common.protocol.Blocks;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The local network's channel configuration and genesis block: the three organizations with the CA
 * certificates the membership service issued them (root, signing and TLS issuing CAs), the three
 * orderers as Raft consenters with their signing and TLS certificates, and the policies:
 *
 * <pre>
 * Readers, Writers   OR('Org1MSP.member', 'Org2MSP.member')
 * Admins             AND('Org1MSP.admin', 'Org2MSP.admin')
 * Endorsement        AND('Org1MSP.peer', 'Org2MSP.peer')     (the sample contract's policy)
 * LifecycleEndorsement  the same: contract definitions need a peer of each organization
 * BlockValidation    OutOf(1, 'OrdererMSP.orderer')
 * </pre>
 */
final class ChannelGenesis {

    static final String ORDERER_MSP = "OrdererMSP";
    static final List<String> PEER_ORGS = List.of("Org1MSP", "Org2MSP");
    static final String ENDORSEMENT = "AND('Org1MSP.peer', 'Org2MSP.peer')";

    /** An orderer as the channel names it. */
    record Orderer(String host, int clusterPort, X509Certificate signingCertificate, X509Certificate tlsCertificate) {}

    private ChannelGenesis() {}

    static Block build(String channel, Map<String, MembershipAdmin.CaCertificates> cas, List<Orderer> orderers,
            Map<String, List<Endpoint>> anchorPeers, Instant now) {
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId(channel)
                .putPolicies("Readers", "OR('Org1MSP.member', 'Org2MSP.member')")
                .putPolicies("Writers", "OR('Org1MSP.member', 'Org2MSP.member')")
                .putPolicies("Admins", "AND('Org1MSP.admin', 'Org2MSP.admin')")
                .putPolicies("Endorsement", ENDORSEMENT)
                .putPolicies("LifecycleEndorsement", ENDORSEMENT)
                .putPolicies("BlockValidation", "OutOf(1, '" + ORDERER_MSP + ".orderer')");
        cas.forEach((mspId, ca) -> config.addOrganizations(OrganizationConfig.newBuilder()
                .setMspId(mspId)
                .addRootCerts(der(ca.root()))
                .addIntermediateCerts(der(ca.signingCa()))
                .addTlsRootCerts(der(ca.root()))
                .addTlsIntermediateCerts(der(ca.tlsCa()))
                .addAllAnchorPeers(anchorPeers.getOrDefault(mspId, List.of()))));
        OrdererConfig.Builder ordering = OrdererConfig.newBuilder()
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(500).setPreferredMaxBytes(2 * 1024 * 1024)
                        .setAbsoluteMaxBytes(10 * 1024 * 1024))
                .setBatchTimeout(com.google.protobuf.Duration.newBuilder().setNanos(250_000_000));
        for (Orderer orderer : orderers) {
            ordering.addConsenters(Consenter.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setHost(orderer.host()).setPort(orderer.clusterPort()))
                    .setIdentity(SerializedIdentity.newBuilder().setMspId(ORDERER_MSP)
                            .setCertificate(der(orderer.signingCertificate())).build().toByteString())
                    .setClientTlsCert(der(orderer.tlsCertificate()))
                    .setServerTlsCert(der(orderer.tlsCertificate())));
        }
        config.setOrderer(ordering);
        return Blocks.genesisBlock(config.build(), now);
    }

    static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
