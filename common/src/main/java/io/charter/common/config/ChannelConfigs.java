package io.charter.common.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.charter.common.identity.MspDefinition;
import io.charter.common.pki.Certificates;
import io.charter.common.pki.PkiFormatException;
import io.charter.common.policy.PolicyParser;
import io.charter.common.policy.PolicySyntaxException;
import io.charter.common.policy.SignaturePolicy;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.ConfigEnvelope;
import io.charter.protocol.Envelope;
import io.charter.protocol.HeaderType;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.Payload;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What every node reads out of a {@link ChannelConfig} alike: the organizations' MSP definitions (signing
 * and TLS CAs, CRLs) and their own named policies. Orderers ({@code ChannelTrust}) and peers
 * ({@code ChannelContext}) build their trust from these, and {@link ConfigUpdateChecker} checks a proposed
 * configuration with them, so a configuration one accepts the others can use.
 */
public final class ChannelConfigs {

    /** Used when a configuration defines no Admins policy (Fabric's default). */
    public static final String DEFAULT_ADMINS = "MAJORITY Admins";

    private ChannelConfigs() {}

    /**
     * The configuration a config block carries (the genesis block, or a later config block): exactly one
     * CONFIG envelope whose payload data is a {@link ConfigEnvelope}.
     *
     * @throws IllegalArgumentException when the block holds another number of envelopes, another kind of
     *     transaction, or bytes that do not parse, saying which
     */
    public static ChannelConfig of(Block block) {
        long number = block.getHeader().getNumber();
        if (block.getData().getEnvelopesCount() != 1) {
            throw new IllegalArgumentException("a config block holds exactly one envelope, block " + number + " holds "
                    + block.getData().getEnvelopesCount());
        }
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getEnvelopes(0)).getPayload());
            if (payload.getHeader().getType() != HeaderType.CONFIG) {
                throw new IllegalArgumentException("block " + number + " is not a config block ("
                        + payload.getHeader().getType() + ")");
            }
            return ConfigEnvelope.parseFrom(payload.getData()).getConfig();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("config block " + number + " is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * The organization's MSP definition.
     *
     * @throws IllegalArgumentException when a certificate or CRL does not parse, naming the organization
     */
    public static MspDefinition mspDefinition(OrganizationConfig organization) {
        try {
            return new MspDefinition(organization.getMspId(),
                    certificates(organization.getRootCertsList()),
                    certificates(organization.getIntermediateCertsList()),
                    organization.getCrlsList().stream().map(der -> Certificates.parseCrl(der.toByteArray())).toList(),
                    certificates(organization.getTlsRootCertsList()),
                    certificates(organization.getTlsIntermediateCertsList()));
        } catch (PkiFormatException e) {
            throw new IllegalArgumentException("organization " + organization.getMspId() + ": " + e.getMessage(), e);
        }
    }

    /** The MSP definitions of every organization of {@code config}. */
    public static List<MspDefinition> mspDefinitions(ChannelConfig config) {
        return config.getOrganizationsList().stream().map(ChannelConfigs::mspDefinition).toList();
    }

    /**
     * Each organization's own policies (Readers, Writers, Admins, ...), by MSP id then name.
     *
     * @throws IllegalArgumentException when one does not parse, naming the organization and the policy
     */
    public static Map<String, Map<String, SignaturePolicy>> organizationPolicies(ChannelConfig config) {
        Map<String, Map<String, SignaturePolicy>> policies = new HashMap<>();
        for (OrganizationConfig organization : config.getOrganizationsList()) {
            Map<String, SignaturePolicy> own = new HashMap<>();
            organization.getPoliciesMap().forEach((name, text) -> {
                try {
                    own.put(name, PolicyParser.parseSignaturePolicy(text));
                } catch (PolicySyntaxException e) {
                    throw new IllegalArgumentException("policy " + name + " of " + organization.getMspId() + " '" + text
                            + "': " + e.getMessage(), e);
                }
            });
            policies.put(organization.getMspId(), own);
        }
        return policies;
    }

    /**
     * The Orderer group: the organizations that run a consenter of the channel (by the MSP id of each
     * consenter's identity), sorted. {@code ANY/ALL/MAJORITY} policies of the orderers (BlockValidation) count
     * these.
     */
    public static SortedSet<String> ordererOrganizations(ChannelConfig config) {
        SortedSet<String> mspIds = new TreeSet<>();
        for (Consenter consenter : config.getOrderer().getConsentersList()) {
            try {
                String mspId = SerializedIdentity.parseFrom(consenter.getIdentity()).getMspId();
                if (!mspId.isEmpty()) {
                    mspIds.add(mspId);
                }
            } catch (InvalidProtocolBufferException e) {
                // a consenter without a usable identity names no organization
            }
        }
        return mspIds;
    }

    /**
     * The Application group: the organizations of the channel that run no consenter, sorted. The Endorsement
     * and LifecycleEndorsement policies, contracts' endorsement policies and contract approvals count these (as
     * Fabric's {@code /Channel/Application} group), so {@code MAJORITY Endorsement} on a channel of Org1, Org2
     * and an orderer organization needs Org1 and Org2. When every organization runs a consenter (a network
     * where one organization both orders and endorses), they all are application organizations too.
     */
    public static SortedSet<String> applicationOrganizations(ChannelConfig config) {
        SortedSet<String> orderers = ordererOrganizations(config);
        SortedSet<String> mspIds = new TreeSet<>();
        for (OrganizationConfig organization : config.getOrganizationsList()) {
            if (!orderers.contains(organization.getMspId())) {
                mspIds.add(organization.getMspId());
            }
        }
        if (mspIds.isEmpty()) {
            config.getOrganizationsList().forEach(organization -> mspIds.add(organization.getMspId()));
        }
        return mspIds;
    }

    /**
     * Checks that every channel-level policy of {@code config} parses.
     *
     * @throws IllegalArgumentException naming the first one that does not
     */
    public static void checkChannelPolicies(ChannelConfig config) {
        config.getPoliciesMap().forEach((name, text) -> {
            try {
                PolicyParser.parse(text);
            } catch (PolicySyntaxException e) {
                throw new IllegalArgumentException("policy " + name + " '" + text + "': " + e.getMessage(), e);
            }
        });
    }

    private static List<X509Certificate> certificates(Collection<ByteString> ders) {
        return ders.stream().map(der -> Certificates.parseCertificate(der.toByteArray())).toList();
    }
}
