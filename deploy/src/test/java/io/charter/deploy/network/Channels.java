package io.charter.deploy.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
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
import tools.jackson.databind.JsonNode;

/**
 * A channel's genesis block built from what the membership service publishes: each organization's root and
 * issuing CAs ({@code GET /api/v1/cas/{mspId}}) and each orderer's certificates from the index ({@code GET
 * /api/v1/nodes}), with the orderers' Raft endpoints at their network names.
 */
final class Channels {

    private Channels() {}

    static Block genesis(String channel, MembershipAdmin admin, List<String> organizations, List<String> orderers) throws Exception {
        JsonNode nodes = admin.nodes();
        OrdererConfig.Builder orderer = OrdererConfig.newBuilder()
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(50).setPreferredMaxBytes(512 * 1024)
                        .setAbsoluteMaxBytes(1024 * 1024))
                .setBatchTimeout(Duration.newBuilder().setNanos(200_000_000));
        for (String name : orderers) {
            JsonNode node = find(nodes, name);
            X509Certificate signing = io.charter.common.pki.Pem.decodeCertificate(node.path("signingCertificate").asString());
            X509Certificate tls = io.charter.common.pki.Pem.decodeCertificate(node.path("tlsCertificate").asString());
            orderer.addConsenters(Consenter.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setHost(name).setPort(7051))
                    .setIdentity(SerializedIdentity.newBuilder().setMspId(node.path("mspId").asString())
                            .setCertificate(der(signing)).build().toByteString())
                    .setClientTlsCert(der(tls))
                    .setServerTlsCert(der(tls)));
        }
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId(channel).setOrderer(orderer);
        for (String mspId : organizations) {
            MembershipAdmin.Cas cas = admin.cas(mspId);
            config.addOrganizations(OrganizationConfig.newBuilder().setMspId(mspId)
                    .addRootCerts(der(cas.root())).addIntermediateCerts(der(cas.signingCa()))
                    .addTlsRootCerts(der(cas.root())).addTlsIntermediateCerts(der(cas.tlsCa())));
        }
        return Blocks.genesisBlock(config.build(), Instant.now());
    }

    private static JsonNode find(JsonNode nodes, String nodeId) {
        JsonNode list = nodes.isArray() ? nodes : nodes.path("nodes");
        for (JsonNode node : list) {
            if (nodeId.equals(node.path("nodeId").asString())) {
                return node;
            }
        }
        throw new IllegalStateException(nodeId + " is not in the index: " + nodes);
    }

    private static ByteString der(X509Certificate certificate) throws CertificateEncodingException {
        return ByteString.copyFrom(certificate.getEncoded());
    }
}
