package io.charter.client.cli.ledger;

import com.google.protobuf.ByteString;
import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.config.ConfigDiff;
import io.charter.client.config.ConfigUpdates;
import io.charter.client.config.OrganizationAddition;
import io.charter.client.sdk.ChannelConfigs;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.protocol.ConfigUpdateEnvelope;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrganizationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code charter channel add-org}: the configuration in force plus an organization whose CA certificates and CRLs
 * come from the membership service, signed by the given admins; submitted when their signatures satisfy the
 * channel's Admins policy, else written for {@code config sign} and {@code config submit}.
 */
@Command(name = "add-org", description = {"Add an organization to a channel: its root, signing and TLS CA certificates"
        + " and CRLs from the membership service, the standard organization policies (Readers and Writers: its members;"
        + " Admins: its admins; Endorsement: its peers), optional anchor peers; the channel policies that list every"
        + " member organization (as 'channel create' writes them) extended to it.",
        "Signs the update as each --sign-as admin; if their signatures satisfy the channel's Admins policy it is"
        + " submitted and the new sequence printed, otherwise it is written to --out (default CHANNEL-add-MSPID.pb) with"
        + " the admins that still must sign ('charter channel config sign', then 'charter channel config submit').",
        "Example:  charter channel add-org -C mychannel --org Org3MSP --anchor-peer peer0.org3:7051"
                + " --sign-as org1-admin,org2-admin"})
public final class ChannelAddOrgCommand extends CharterSubcommand {

    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d{1,5})");

    @Mixin
    ConfigSupport.ChannelOptions options;

    @Option(names = "--org", paramLabel = "MSPID", required = true, description = "The organization to add, as the"
            + " membership service knows it.")
    String organization;

    @Option(names = "--anchor-peer", paramLabel = "HOST:PORT", split = ",", description = "An anchor peer of the new"
            + " organization. Repeat or separate with commas.")
    List<String> anchorPeers = new ArrayList<>();

    @Option(names = "--sign-as", paramLabel = "NAME", split = ",", description = "A wallet admin identity of a channel"
            + " organization to sign the update as. Repeat or separate with commas.")
    List<String> signAs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the update when the signatures do not"
            + " suffice (default: CHANNEL-add-MSPID.pb); an existing file is not overwritten.")
    Path out;

    @Override
    protected void run() throws Exception {
        String mspId = organization.strip();
        if (mspId.isEmpty()) {
            throw CliException.usage("--org is empty: name the organization's MSP id");
        }
        List<Endpoint> anchors = new ArrayList<>();
        for (String anchor : anchorPeers) {
            Matcher matcher = HOST_PORT.matcher(anchor.strip());
            int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
            if (port < 1 || port > 65535) {
                throw CliException.usage("--anchor-peer " + anchor + " is not HOST:PORT (e.g. peer0.org3:7051)");
            }
            anchors.add(Endpoint.newBuilder().setHost(matcher.group(1)).setPort(port).build());
        }
        Path file = out != null ? out : Path.of(options.channel + "-add-" + mspId + ".pb");
        if (Files.exists(file)) {
            throw CliException.conflict(file + " exists: remove it or give another --out");
        }
        Wallet wallet = wallet();
        Set<String> signerNames = new LinkedHashSet<>();
        signAs.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(signerNames::add);
        List<WalletIdentity> signers = new ArrayList<>();
        for (String name : signerNames) {
            signers.add(ConfigSupport.admin(wallet, name));
        }
        try (LedgerOptions.Connection connection = options.connect(wallet)) {
            ChannelConfigs.ConfigBlock current = ConfigSupport.current(connection, options.channel);
            if (current.config().getOrganizationsList().stream().anyMatch(o -> o.getMspId().equals(mspId))) {
                throw CliException.conflict(mspId + " is already an organization of channel " + options.channel
                        + " (configuration sequence " + current.config().getSequence() + ")");
            }
            OrganizationConfig added = organization(connection, wallet, mspId, anchors);
            OrganizationAddition.Proposal proposal = OrganizationAddition.propose(current.config(), added);
            ConfigSupport.checkWellFormed(proposal.proposed());
            ConfigDiff diff = ConfigDiff.between(current.config(), proposal.proposed());
            ConfigUpdateEnvelope update = ConfigUpdates.unsigned(proposal.proposed());
            for (WalletIdentity signer : signers) {
                update = ConfigSupport.sign(update, signer);
            }
            ConfigUpdates.AdminsCheck check = ConfigUpdates.check(current.config(), update);
            if (!proposal.untouchedPolicies().isEmpty()) {
                output().progress("left as they are (they do not list every member organization): policies "
                        + String.join(", ", proposal.untouchedPolicies()));
            }
            if (check.satisfied()) {
                Map<String, Object> json = ConfigSubmitCommand.submit(connection, current, update, null);
                String text = (String) json.remove("text");
                json.put("organization", mspId);
                json.put("submitted", true);
                output().result(json, mspId + " added. " + text);
                return;
            }
            ConfigSupport.write(file, update.toByteArray());
            String admins = current.config().getPoliciesOrDefault("Admins", "MAJORITY Admins");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("channel", options.channel);
            json.put("organization", mspId);
            json.put("submitted", false);
            json.put("file", file.toString());
            json.put("sequence", proposal.proposed().getSequence());
            json.put("signatures", ConfigSupport.signerNames(update));
            json.put("adminsPolicy", admins);
            json.put("missing", check.explanation());
            json.putAll(ConfigSupport.json(diff));
            output().result(json, "wrote the update adding " + mspId + " to channel " + options.channel + " to " + file
                    + "; not submitted: the channel's Admins policy " + admins + " is not met yet (" + check.explanation()
                    + (check.ignored().isEmpty() ? "" : "; not counted: " + check.ignored()) + "). It changes:\n"
                    + ConfigSupport.text(diff) + "Next: the missing admins run 'charter channel config sign --file " + file
                    + " --identity NAME', then 'charter channel config submit -C " + options.channel + " --file " + file
                    + "'.");
        }
    }

    /** The organization's CA certificates and CRLs from the membership service. */
    private OrganizationConfig organization(LedgerOptions.Connection connection, Wallet wallet, String mspId,
            List<Endpoint> anchors) {
        Wallet.Connection service = wallet.connection().orElseThrow();
        MembershipAdmin.CaCertificates cas;
        try (MembershipAdmin admin = new MembershipAdmin(service.membershipUrl(), service.consortiumRoot())) {
            cas = admin.caCertificates(mspId);
        } catch (MembershipException e) {
            if (e.status() == 404 || e.code().endsWith("NOT_FOUND")) {
                throw CliException.notFound("the membership service knows no organization " + mspId
                        + " (create it first, as the consortium admin: see docs/membership-service.md)");
            }
            throw e;
        }
        OrganizationConfig.Builder config = OrganizationConfig.newBuilder().setMspId(mspId)
                .addRootCerts(der(cas.root()))
                .addIntermediateCerts(der(cas.signingCa()))
                .addTlsRootCerts(der(cas.root()))
                .addTlsIntermediateCerts(der(cas.tlsCa()))
                .putAllPolicies(OrganizationAddition.standardPolicies(mspId))
                .addAllAnchorPeers(anchors);
        MembershipClient membership = connection.membership();
        for (String profile : List.of("signing", "tls")) {
            try {
                config.addCrls(ByteString.copyFrom(membership.crl(mspId, profile).crl().getEncoded()));
            } catch (CRLException e) {
                throw new IllegalStateException("the membership service's " + profile + " CRL of " + mspId
                        + " does not encode: " + e.getMessage(), e);
            }
        }
        return config.build();
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
