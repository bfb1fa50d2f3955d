package io.charter.client.config;

import com.google.protobuf.ByteString;
import io.charter.client.config.OrganizationAddition;
import io.charter.client.config.PolicyTexts;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.common.membership.MembershipClient;
import io.charter.common.protocol.Blocks;
import io.charter.protocol.BatchSize;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A channel's configuration and genesis block, for the local network ({@code charter up}) and for
 * {@code charter channel create}: the organizations with the CA certificates the membership service issued them
 * (root, signing and TLS issuing CAs), the orderers as Raft consenters with their signing and TLS certificates,
 * and Fabric-like default policies over the member organizations (every organization that runs no consenter):
 *
 * <pre>
 * Readers, Writers      OR('Org1MSP.member', 'Org2MSP.member', ...)
 * Admins                a majority of the members' admins (AND(...) when that is all of them)
 * Endorsement           a majority of the members' peers (the default for contracts)
 * LifecycleEndorsement  the same: contract definitions need a majority of the organizations' peers
 * BlockValidation       OutOf(1, 'OrdererMSP.orderer', ...): one orderer of the orderer organizations
 * </pre>
 *
 * Batches: at most 500 transactions, preferred 2 MiB, absolute 10 MiB, cut after 250 ms.
 */
public final class ChannelGenesis {

    /** The local network's orderer organization. */
    public static final String ORDERER_MSP = "OrdererMSP";
    static final List<String> PEER_ORGS = List.of("Org1MSP", "Org2MSP");
    /** The local network's endorsement policy: a majority of its peer organizations. */
    public static final String ENDORSEMENT = PolicyTexts.majority(PEER_ORGS, "peer");

    /** An organization of the channel: its MSP id, its CA certificates and its anchor peers (may be none). */
    /**
     * An organization of the channel: its CAs, anchor peers and current CRLs (signing and TLS), which the genesis
     * configuration carries with the organization's own policies, in the same shape as an organization that
     * {@code charter channel add-org} adds later.
     */
    public record Organization(String mspId, MembershipAdmin.CaCertificates cas, List<Endpoint> anchorPeers,
            List<X509CRL> crls) {
        public Organization {
            anchorPeers = List.copyOf(anchorPeers);
            crls = List.copyOf(crls);
        }
    }

    /** The organization's current signing and TLS CRLs, as the membership service publishes them. */
    public static List<X509CRL> crls(MembershipClient membership, String mspId) {
        return List.of(membership.crl(mspId, "signing").crl(), membership.crl(mspId, "tls").crl());
    }

    /** An orderer as the channel names it: its organization, its Raft (cluster) endpoint, its certificates. */
    public record Orderer(String mspId, String host, int clusterPort, X509Certificate signingCertificate,
            X509Certificate tlsCertificate) {}

    private ChannelGenesis() {}

    /**
     * The genesis block of {@code channel}. Every orderer's organization must be among {@code organizations} (its
     * certificates are checked against it); the other organizations are the members the policies name.
     *
     * @throws IllegalArgumentException no member organization, no orderer, or an orderer whose organization is not
     *     in the channel
     */
    public static Block build(String channel, List<Organization> organizations, List<Orderer> orderers, Instant now) {
        Set<String> mspIds = organizations.stream().map(Organization::mspId).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> ordererOrgs = orderers.stream().map(Orderer::mspId).collect(Collectors.toCollection(LinkedHashSet::new));
        if (orderers.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one orderer");
        }
        for (String mspId : ordererOrgs) {
            if (!mspIds.contains(mspId)) {
                throw new IllegalArgumentException("the orderers' organization " + mspId + " is not in the channel");
            }
        }
        List<String> members = mspIds.stream().filter(m -> !ordererOrgs.contains(m)).toList();
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one organization besides the orderers'");
        }
        String endorsement = PolicyTexts.majority(members, "peer");
        ChannelConfig.Builder config = ChannelConfig.newBuilder().setChannelId(channel)
                .putPolicies("Readers", "OR(" + PolicyTexts.principals(members, "member") + ")")
                .putPolicies("Writers", "OR(" + PolicyTexts.principals(members, "member") + ")")
                .putPolicies("Admins", PolicyTexts.majority(members, "admin"))
                .putPolicies("Endorsement", endorsement)
                .putPolicies("LifecycleEndorsement", endorsement)
                .putPolicies("BlockValidation", PolicyTexts.anyOf(List.copyOf(ordererOrgs), "orderer"));
        for (Organization organization : organizations) {
            MembershipAdmin.CaCertificates ca = organization.cas();
            OrganizationConfig.Builder added = OrganizationConfig.newBuilder()
                    .setMspId(organization.mspId())
                    .addRootCerts(der(ca.root()))
                    .addIntermediateCerts(der(ca.signingCa()))
                    .addTlsRootCerts(der(ca.root()))
                    .addTlsIntermediateCerts(der(ca.tlsCa()))
                    .putAllPolicies(OrganizationAddition.standardPolicies(organization.mspId()))
                    .addAllAnchorPeers(organization.anchorPeers());
            for (X509CRL crl : organization.crls()) {
                added.addCrls(der(crl));
            }
            config.addOrganizations(added);
        }
        OrdererConfig.Builder ordering = OrdererConfig.newBuilder()
                .setBatchSize(BatchSize.newBuilder().setMaxMessageCount(500).setPreferredMaxBytes(2 * 1024 * 1024)
                        .setAbsoluteMaxBytes(10 * 1024 * 1024))
                .setBatchTimeout(com.google.protobuf.Duration.newBuilder().setNanos(250_000_000));
        for (Orderer orderer : orderers) {
            ordering.addConsenters(Consenter.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setHost(orderer.host()).setPort(orderer.clusterPort()))
                    .setIdentity(SerializedIdentity.newBuilder().setMspId(orderer.mspId())
                            .setCertificate(der(orderer.signingCertificate())).build().toByteString())
                    .setClientTlsCert(der(orderer.tlsCertificate()))
                    .setServerTlsCert(der(orderer.tlsCertificate())));
        }
        config.setOrderer(ordering);
        return Blocks.genesisBlock(config.build(), now);
    }

    private static ByteString der(X509CRL crl) {
        try {
            return ByteString.copyFrom(crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException("a CRL of the membership service does not encode: " + e.getMessage(), e);
        }
    }

    public static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
