package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.cli.identity.Callers;
import io.charter.client.config.ChannelGenesis;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.protocol.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code charter channel create}: a channel's genesis block from what the membership service publishes: each
 * organization's CA certificates and each orderer's certificates from the index.
 */
@Command(name = "create", description = {"Write a new channel's genesis block (block 0): the organizations' CA"
        + " certificates from the membership service, the orderers named by --orderer as Raft consenters with the"
        + " signing and TLS certificates they registered in the index, default policies (Readers and Writers: any"
        + " member; Admins, Endorsement and LifecycleEndorsement: a majority of the member organizations; BlockValidation:"
        + " any orderer) and batches of at most 500 transactions, 2 MiB preferred, cut after 250 ms.",
        "The orderers' organizations join the channel too; the policies name the --org organizations. --anchor-peer"
                + " sets an organization's anchor peers, where the other organizations' peers send it private data.",
        "Then give the block to each orderer's participation API and each peer ('charter channel join').",
        "Example:  charter channel create mychannel --orderer orderer-0.orderer:7051,orderer-1.orderer:7051"
                + " --org Org1MSP --org Org2MSP --anchor-peer Org1MSP=peer0.org1:7060,Org2MSP=peer0.org2:7060"
                + " --out mychannel.block"})
public final class ChannelCreateCommand extends CharterSubcommand {

    /** Fabric's rule for channel names: lower case letters, digits, dots and dashes, starting with a letter. */
    static final Pattern CHANNEL_NAME = Pattern.compile("[a-z][a-z0-9.-]{0,248}");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d{1,5})");
    /** The stable codes of a refused --anchor-peer, in the message and as the error's code (exit 1, as other bad input). */
    static final String ANCHOR_PEER_MALFORMED = "ANCHOR_PEER_MALFORMED";
    static final String ANCHOR_PEER_UNKNOWN_ORG = "ANCHOR_PEER_UNKNOWN_ORG";
    static final String ANCHOR_PEER_DUPLICATE = "ANCHOR_PEER_DUPLICATE";

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel's name: lower case letters, digits,"
            + " '.' and '-', starting with a letter.")
    String channel;

    @Option(names = "--orderer", paramLabel = "HOST:PORT", required = true, split = ",", description = "An orderer's Raft"
            + " (cluster) endpoint, as the other orderers reach it; HOST is the host the orderer registered in the"
            + " index, or its node id (then the consenter's host is the one the orderer registered: orderers sharing"
            + " a host, e.g. the local network's, are told apart so). Repeat or separate with commas.")
    List<String> orderers;

    @Option(names = "--org", paramLabel = "MSPID", required = true, split = ",", description = "A member organization."
            + " Repeat or separate with commas.")
    List<String> organizations;

    @Option(names = "--anchor-peer", paramLabel = "MSPID=HOST:PORT", split = ",", description = "An anchor peer of an"
            + " --org organization: its transport as the other organizations' peers reach it (they send it private data"
            + " of the collections the organization is a member of). Several per organization allowed; none: the"
            + " organization has no anchor peers. Repeat or separate with commas.")
    List<String> anchorPeers = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the block (protobuf"
            + " bytes); an existing file is not overwritten (-o is the global output format).")
    Path out;

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to read the index as (default:"
            + " the wallet's default).")
    String as;

    /** A parsed --orderer. */
    private record Endpoint(String host, int port) {}

    @Override
    protected void run() throws IOException {
        if (!CHANNEL_NAME.matcher(channel).matches()) {
            throw CliException.usage("'" + channel + "' is not a channel name: use lower case letters, digits, '.' and"
                    + " '-', starting with a letter (at most 249 characters)");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String orderer : orderers) {
            var matcher = HOST_PORT.matcher(orderer.strip());
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
                throw CliException.usage("--orderer " + orderer + " is not HOST:PORT (the orderer's Raft endpoint,"
                        + " e.g. orderer-0.orderer:7051)");
            }
            endpoints.add(new Endpoint(matcher.group(1), Integer.parseInt(matcher.group(2))));
        }
        if (endpoints.stream().distinct().count() != endpoints.size()) {
            throw CliException.usage("--orderer names an endpoint twice");
        }
        Set<String> members = new LinkedHashSet<>();
        for (String mspId : organizations) {
            if (mspId.isBlank() || !members.add(mspId.strip())) {
                throw CliException.usage("--org " + (mspId.isBlank() ? "is empty" : mspId + " is named twice"));
            }
        }
        Map<String, List<io.charter.protocol.Endpoint>> anchors = anchorPeers(anchorPeers, members);
        if (Files.exists(out)) {
            throw CliException.conflict(out + " exists: remove it or give another --out");
        }
        Wallet wallet = wallet();
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = wallet.connection().orElseThrow(() -> CliException.usage("the wallet "
                + wallet.folder() + " knows no membership service: enroll against one first ('charter enroll')"));
        Block genesis;
        Set<String> channelOrgs = new LinkedHashSet<>();
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot());
                MembershipClient crls = new MembershipClient(connection.membershipUrl(), connection.consortiumRoot())) {
            List<MembershipAdmin.IndexedOrderer> indexed = admin.orderers(caller.credential());
            List<ChannelGenesis.Orderer> consenters = new ArrayList<>();
            for (Endpoint endpoint : endpoints) {
                MembershipAdmin.IndexedOrderer orderer = find(indexed, endpoint.host());
                consenters.add(new ChannelGenesis.Orderer(orderer.mspId(), consenterHost(orderer, endpoint.host()),
                        endpoint.port(), orderer.signingCertificate(), orderer.tlsCertificate()));
            }
            consenters.forEach(c -> channelOrgs.add(c.mspId()));
            channelOrgs.addAll(members);
            if (channelOrgs.size() == consenters.stream().map(ChannelGenesis.Orderer::mspId).distinct().count()) {
                throw CliException.usage("--org names only the orderers' organizations: name the member organizations");
            }
            List<ChannelGenesis.Organization> channelOrganizations = new ArrayList<>();
            for (String mspId : channelOrgs) {
                channelOrganizations.add(new ChannelGenesis.Organization(mspId, admin.caCertificates(mspId),
                        anchors.getOrDefault(mspId, List.of()),
                        ChannelGenesis.crls(crls, mspId)));
            }
            try {
                genesis = ChannelGenesis.build(channel, channelOrganizations, consenters, Instant.now());
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        Path temporary = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
        Files.write(temporary, genesis.toByteArray());
        Files.move(temporary, out, StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channel", channel);
        json.put("file", out.toString());
        json.put("organizations", List.copyOf(channelOrgs));
        json.put("consenters", endpoints.stream().map(e -> e.host() + ":" + e.port()).toList());
        Map<String, List<String>> anchorJson = new LinkedHashMap<>();
        anchors.forEach((mspId, list) -> anchorJson.put(mspId, list.stream().map(e -> e.getHost() + ":" + e.getPort()).toList()));
        json.put("anchorPeers", anchorJson);
        output().result(json, "wrote the genesis block of channel " + channel + " to " + out + " (organizations "
                + String.join(", ", channelOrgs) + "; consenters " + String.join(", ",
                endpoints.stream().map(e -> e.host() + ":" + e.port()).toList()) + "; anchor peers "
                + (anchorJson.isEmpty() ? "none" : String.join(", ", anchorJson.entrySet().stream()
                        .map(e -> e.getKey() + " " + String.join(" ", e.getValue())).toList())) + ")");
    }

    /**
     * The --anchor-peer values, MSPID=HOST:PORT, by organization in the order given: every MSP id one of
     * {@code members}, every endpoint named once (a peer belongs to one organization; hosts compare ignoring case).
     */
    static Map<String, List<io.charter.protocol.Endpoint>> anchorPeers(List<String> values, Set<String> members) {
        Map<String, List<io.charter.protocol.Endpoint>> anchors = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String value : values) {
            String given = value.strip();
            int equals = given.indexOf('=');
            String mspId = equals < 0 ? "" : given.substring(0, equals).strip();
            var matcher = HOST_PORT.matcher(equals < 0 ? "" : given.substring(equals + 1).strip());
            int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
            if (mspId.isEmpty() || port < 1 || port > 65535) {
                throw anchorPeer(ANCHOR_PEER_MALFORMED, "--anchor-peer '" + given + "' is not MSPID=HOST:PORT with a"
                        + " port from 1 to 65535 (e.g. Org1MSP=peer0.org1:7060)");
            }
            if (!members.contains(mspId)) {
                throw anchorPeer(ANCHOR_PEER_UNKNOWN_ORG, "--anchor-peer " + given + " names " + mspId + ", which is"
                        + " not an --org organization (" + String.join(", ", members) + ")");
            }
            String host = matcher.group(1);
            String endpoint = host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
            String earlier = seen.putIfAbsent(endpoint, mspId);
            if (earlier != null) {
                throw anchorPeer(ANCHOR_PEER_DUPLICATE, "--anchor-peer names " + host + ":" + port + " twice ("
                        + (earlier.equals(mspId) ? "for " + mspId : "for " + earlier + " and " + mspId + "; a peer belongs"
                        + " to one organization") + ")");
            }
            anchors.computeIfAbsent(mspId, m -> new ArrayList<>())
                    .add(io.charter.protocol.Endpoint.newBuilder().setHost(host).setPort(port).build());
        }
        return anchors;
    }

    private static CliException anchorPeer(String code, String message) {
        return new CliException(ExitCodes.USAGE, code, message + " (" + code + ")");
    }

    /**
     * The consenter's host: as given, or for a node id the one host the orderer registered (orderers sharing a
     * host, as the local network's on 127.0.0.1, are told apart by node id).
     */
    private static String consenterHost(MembershipAdmin.IndexedOrderer orderer, String given) {
        if (orderer.nodeId().equals(given) && !orderer.hosts().contains(given)) {
            List<String> hosts = orderer.hosts().stream().filter(h -> !h.isEmpty()).distinct().toList();
            if (hosts.size() == 1) {
                return hosts.getFirst();
            }
        }
        return given;
    }

    private static MembershipAdmin.IndexedOrderer find(List<MembershipAdmin.IndexedOrderer> indexed, String host) {
        List<MembershipAdmin.IndexedOrderer> byNodeId = indexed.stream().filter(o -> o.nodeId().equals(host)).toList();
        if (byNodeId.size() == 1) {
            return byNodeId.getFirst();
        }
        List<MembershipAdmin.IndexedOrderer> matches = indexed.stream()
                .filter(o -> o.hosts().contains(host) || o.nodeId().equals(host)).toList();
        if (matches.isEmpty()) {
            throw CliException.notFound("no orderer in the index has the host or node id " + host + " (the index knows "
                    + indexed.stream().map(o -> o.nodeId() + " " + o.hosts()).toList() + "): start the orderer first,"
                    + " it registers when it starts");
        }
        if (matches.size() > 1) {
            throw CliException.usage("several orderers in the index have the host " + host + ": "
                    + matches.stream().map(MembershipAdmin.IndexedOrderer::nodeId).toList() + "; give the node id as HOST (e.g. "
                    + matches.getFirst().nodeId() + ":PORT)");
        }
        return matches.getFirst();
    }
}
