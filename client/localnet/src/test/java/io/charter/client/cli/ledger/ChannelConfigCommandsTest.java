package io.charter.client.cli.ledger;

import static io.charter.client.cli.CliRun.charter;
import static org.assertj.core.api.Assertions.assertThat;

import io.charter.client.cli.CliRun;
import io.charter.client.cli.ExitCodes;
import io.charter.client.config.ChannelGenesis;
import io.charter.client.testing.LiveMembershipService;
import io.charter.client.wallet.Enroller;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.TlsCredential;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.NodeRequests;
import io.charter.common.testing.Await;
import io.charter.common.testing.FreePorts;
import io.charter.common.testing.RequiresDocker;
import io.charter.common.transport.TransportLimits;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.orderer.access.ChannelTrusts;
import io.charter.orderer.blockstore.BlockStoreOptions;
import io.charter.orderer.channel.ChannelOrderer;
import io.charter.orderer.channel.ChannelSettings;
import io.charter.orderer.channel.EnvelopeValidator;
import io.charter.orderer.channel.OrdererIdentity;
import io.charter.orderer.channel.OrderingNodeConfig;
import io.charter.orderer.consensus.RaftSettings;
import io.charter.orderer.consensus.RaftTls;
import io.charter.orderer.service.OrdererMetrics;
import io.charter.orderer.service.OrdererServer;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.OrganizationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The channel configuration commands against the real membership service and a real orderer (Raft, broadcast and
 * deliver over mutual TLS) whose channel was built by {@link ChannelGenesis} from the service's CAs, the orderer
 * registered in the service's index as a node: fetch, add-org with enough and with too few admin signatures,
 * config sign (an admin, a client refused), config submit refused and accepted, an edited YAML configuration
 * applied, and bad input refused before anything is sent. The orderer's own configuration is the witness.
 */
@RequiresDocker
class ChannelConfigCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;
    @TempDir
    Path data;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String channel = "cfg-" + suffix;
    private final String ordererOrg = "Ord" + suffix + "MSP";
    private final String org1 = "A" + suffix + "MSP";
    private final String org2 = "B" + suffix + "MSP";
    private final String org3 = "C" + suffix + "MSP";
    private final String org4 = "D" + suffix + "MSP";
    private OrdererServer orderer;
    private int clusterPort;
    private ScheduledExecutorService heartbeats;

    @BeforeEach
    void startAnOrdererWithAChannelOfTwoOrganizations() throws IOException {
        LiveMembershipService service = LiveMembershipService.get();
        CliRun admin = charter(home, "enroll", LiveMembershipService.ADMIN_ID, "--secret", LiveMembershipService.ADMIN_SECRET,
                "--url", service.url().toString(), "--root-cert", service.rootPem(home).toString());
        assertThat(admin.exitCode()).as(admin.toString()).isZero();
        Wallet wallet = new Wallet(home.resolve("wallet"));
        MembershipClient.Credential consortium = wallet.get("admin").credential();
        List<String> hosts = List.of("localhost", "127.0.0.1");
        WalletIdentity node;
        List<ChannelGenesis.Organization> organizations = new ArrayList<>();
        try (MembershipAdmin membership = new MembershipAdmin(service.url(), service.root());
                MembershipClient client = new MembershipClient(service.url(), service.root())) {
            Enroller enroller = new Enroller(client);
            for (String org : List.of(ordererOrg, org1, org2, org3, org4)) {
                membership.createOrganization(consortium, org);
            }
            node = enroller.enroll("orderer", "orderer-" + suffix, membership.register(consortium, "orderer-" + suffix,
                    "orderer", ordererOrg, Map.of(), Optional.empty(), hosts).secret(), Optional.of(hosts));
            for (String[] identity : new String[][] {{"a-admin", "admin", org1}, {"b-admin", "admin", org2},
                    {"a-user", "client", org1}, {"o-admin", "admin", ordererOrg}}) {
                String id = identity[0] + "-" + suffix;
                wallet.put(enroller.enroll(identity[0], id, membership.register(consortium, id, identity[1], identity[2],
                        Map.of(), Optional.empty()).secret(), Optional.of(List.of())), false);
            }
            for (String org : List.of(ordererOrg, org1, org2)) {
                organizations.add(new ChannelGenesis.Organization(org, membership.caCertificates(org), List.of(),
                        ChannelGenesis.crls(client, org)));
            }
        }
        wallet.setDefaultIdentity("a-admin");
        clusterPort = FreePorts.loopback();
        TlsCredential tls = node.tls().orElseThrow();
        List<X509Certificate> tlsChain = new ArrayList<>(List.of(tls.certificate()));
        tlsChain.addAll(tls.chain());
        var genesis = ChannelGenesis.build(channel, organizations, List.of(new ChannelGenesis.Orderer(ordererOrg,
                "127.0.0.1", clusterPort, node.certificate(), tls.certificate())), Instant.now());
        OrderingNodeConfig config = new OrderingNodeConfig(
                io.charter.protocol.Endpoint.newBuilder().setHost("127.0.0.1").setPort(clusterPort).build(),
                data.resolve("orderer"), new OrdererIdentity(ordererOrg, node.certificate(), node.signer()),
                new RaftSettings(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(3), 100_000,
                        64L * 1024 * 1024, 1000),
                Optional.of(new RaftTls(tls.privateKey(), tlsChain, List.of(service.root()))),
                new BlockStoreOptions(64L * 1024 * 1024, false), new ChannelSettings(Duration.ofSeconds(30), 200_000),
                EnvelopeValidator.ACCEPT_ALL); // the server installs its BroadcastValidator
        orderer = OrdererServer.start(config, new OrdererServer.TransportSettings("127.0.0.1", 0,
                        new TlsCredentials(tls.privateKey(), tlsChain), TransportLimits.defaults()),
                new ChannelTrusts(Clock.systemUTC(), List.of(service.root())), OrdererMetrics.inMemory());
        orderer.join(genesis);
        Await.until("a Raft leader", () -> channelOrderer().isLeader());
        // in the index, as a running orderer does it: discovery finds it for the channel
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        MembershipClient index = new MembershipClient(service.url(), service.root());
        String nodeId = "orderer-" + suffix;
        index.registerNode(NodeRequests.registration(nodeId, ordererOrg, "orderer",
                List.of(new NodeRequests.Endpoint("127.0.0.1", orderer.port())), Map.of(channel, 1L), false,
                node.certificate(), tls.certificate(), Instant.now()), node.signer());
        heartbeats.scheduleWithFixedDelay(() -> {
            try {
                index.heartbeat(nodeId, NodeRequests.heartbeat(nodeId, ordererOrg, Map.of(channel,
                        channelOrderer().height()), Instant.now()), node.signer());
            } catch (RuntimeException e) {
                // the next beat retries
            }
        }, 1, 2, TimeUnit.SECONDS);
        this.indexClient = index;
    }

    private MembershipClient indexClient;

    @AfterEach
    void stop() throws IOException {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (indexClient != null) {
            indexClient.close();
        }
        if (orderer != null) {
            orderer.close();
        }
    }

    @Test
    void addsOrganizationsWithEnoughAdminSignaturesAndRefusesTooFew() throws IOException {
        // fetch: the genesis configuration, as YAML and as JSON
        Path fetched = home.resolve("config.yaml");
        CliRun fetch = charter(home, "channel", "config", "fetch", "-C", channel, "--out", fetched.toString());
        assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
        assertThat(Files.readString(fetched)).contains("sequence: 0").contains("mspId: " + org1).contains("mspId: " + org2)
                .contains("-----BEGIN CERTIFICATE-----").contains("batchTimeout: 250ms").contains("preferredMaxBytes: 2 MiB");
        CliRun json = charter(home, "channel", "config", "fetch", "-C", channel, "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(JSON.readTree(json.out()).path("sequence").asLong()).isZero();

        // two admins' signatures satisfy AND(org1.admin, org2.admin): submitted, committed at the orderer
        CliRun added = charter(home, "channel", "add-org", "-C", channel, "--org", org3, "--anchor-peer",
                "peer0.c:7051", "--sign-as", "a-admin,b-admin", "-o", "json");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        JsonNode addedJson = JSON.readTree(added.out());
        assertThat(addedJson.path("submitted").asBoolean()).isTrue();
        assertThat(addedJson.path("sequence").asLong()).isEqualTo(1);
        assertThat(addedJson.path("organizationsAdded").get(0).asString()).isEqualTo(org3);
        ChannelConfig afterAdd = channelOrderer().config();
        assertThat(afterAdd.getSequence()).isEqualTo(1);
        assertThat(afterAdd.getOrganizationsList()).extracting(OrganizationConfig::getMspId).contains(org3);
        assertThat(afterAdd.getPoliciesMap().get("Admins")).isEqualTo("OutOf(2, '" + org1 + ".admin', '" + org2
                + ".admin', '" + org3 + ".admin')");
        assertThat(afterAdd.getPoliciesMap().get("Readers")).contains("'" + org3 + ".member'");
        CliRun refetch = charter(home, "channel", "config", "fetch", "-C", channel);
        assertThat(refetch.exitCode()).as(refetch.toString()).isZero();
        assertThat(refetch.out()).contains("sequence: 1").contains("mspId: " + org3).contains("- peer0.c:7051");
        CliRun info = charter(home, "channel", "info", "-C", channel, "-o", "json");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        JsonNode infoJson = JSON.readTree(info.out());
        assertThat(infoJson.path("sequence").asLong()).isEqualTo(1);
        assertThat(infoJson.path("organizations").findValuesAsString("mspId")).contains(org3);

        // the same organization again: a conflict, nothing written; an organization the service does not know
        CliRun again = charter(home, "channel", "add-org", "-C", channel, "--org", org3, "--sign-as", "a-admin");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).contains(org3 + " is already an organization of channel " + channel);
        CliRun unknown = charter(home, "channel", "add-org", "-C", channel, "--org", "Nobody" + suffix + "MSP",
                "--sign-as", "a-admin");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("knows no organization Nobody" + suffix + "MSP");

        // one admin of the two OutOf(2, ...) needs: written, not submitted, says who is missing
        long height = channelOrderer().height();
        Path half = home.resolve("add-d.pb");
        CliRun oneSignature = charter(home, "channel", "add-org", "-C", channel, "--org", org4, "--sign-as", "a-admin",
                "--out", half.toString());
        assertThat(oneSignature.exitCode()).as(oneSignature.toString()).isZero();
        assertThat(oneSignature.out()).contains("not submitted").contains("needs 1 more");
        assertThat(Files.exists(half)).isTrue();
        assertThat(channelOrderer().height()).isEqualTo(height);

        // submitted anyway: the orderer refuses it, exit 4, the configuration unchanged
        CliRun refused = charter(home, "channel", "config", "submit", "-C", channel, "--file", half.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).startsWith("charter: the orderers refused the update: the signatures do not satisfy")
                .contains("needs 1 more").contains("config sign --file " + half).doesNotContain("\tat ");
        assertThat(refused.err().strip()).doesNotContain("\n");
        assertThat(channelOrderer().config().getSequence()).isEqualTo(1);
        assertThat(channelOrderer().config().getOrganizationsList()).extracting(OrganizationConfig::getMspId)
                .doesNotContain(org4);

        // a client's signature is refused before anything is written; the same admin twice too
        byte[] before = Files.readAllBytes(half);
        CliRun client = charter(home, "channel", "config", "sign", "--file", half.toString(), "--identity", "a-user");
        assertThat(client.exitCode()).as(client.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(client.err()).isEqualTo("charter: 'a-user' is a client of " + org1 + ", not an admin: only organization"
                + " admins' signatures count for a channel's Admins policy; sign as an admin identity of the wallet (e.g."
                + " org1-admin)" + System.lineSeparator());
        CliRun twice = charter(home, "channel", "config", "sign", "--file", half.toString(), "--identity", "a-admin");
        assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(Files.readAllBytes(half)).isEqualTo(before);

        // the second admin signs in turn; now the orderer takes it
        CliRun signed = charter(home, "channel", "config", "sign", "--file", half.toString(), "--identity", "b-admin");
        assertThat(signed.exitCode()).as(signed.toString()).isZero();
        assertThat(signed.out()).contains("b-admin-" + suffix + " (" + org2 + ", admin)");
        CliRun submitted = charter(home, "channel", "config", "submit", "-C", channel, "--file", half.toString());
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        assertThat(submitted.out()).contains("configuration sequence 2").contains("+ organization " + org4);
        assertThat(channelOrderer().config().getOrganizationsList()).extracting(OrganizationConfig::getMspId)
                .contains(org4);
    }

    @Test
    void anEditedConfigurationIsAppliedAndBadInputSendsNothing() throws IOException {
        Path fetched = home.resolve("config.yaml");
        assertThat(charter(home, "channel", "config", "fetch", "-C", channel, "--out", fetched.toString()).exitCode()).isZero();
        long height = channelOrderer().height();
        CliRun noChannel = charter(home, "channel", "config", "fetch", "-C", "no-such-" + suffix);
        assertThat(noChannel.exitCode()).as(noChannel.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noChannel.err()).isEqualTo("charter: no orderer serves channel 'no-such-" + suffix + "' (the index lists"
                + " none that is up): check -C, or 'charter channel list'" + System.lineSeparator());

        // malformed YAML: exit 1, one line with the line number, nothing written or sent
        Path broken = home.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(fetched).replace("batchTimeout: 250ms", "batchTimeout: [250ms"));
        Path update = home.resolve("update.pb");
        CliRun bad = charter(home, "channel", "config", "update", "-C", channel, "--file", broken.toString(), "--out",
                update.toString());
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).startsWith("charter: " + broken + " line ").contains("not valid YAML");
        assertThat(bad.err().strip()).doesNotContain("\n");
        Path typo = home.resolve("typo.yaml");
        Files.writeString(typo, Files.readString(fetched).replace("batchTimeout: 250ms", "batchTimeout: 250 millis"));
        CliRun wrongValue = charter(home, "channel", "config", "update", "-C", channel, "--file", typo.toString(), "--out",
                update.toString());
        assertThat(wrongValue.exitCode()).as(wrongValue.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongValue.err()).contains("orderer.batchTimeout: '250 millis' is not a duration");
        assertThat(Files.exists(update)).isFalse();
        assertThat(channelOrderer().height()).isEqualTo(height);

        // an edit: a longer batch timeout, signed by both admins, applied
        Path edited = home.resolve("edited.yaml");
        Files.writeString(edited, Files.readString(fetched).replace("batchTimeout: 250ms", "batchTimeout: 1s"));
        CliRun built = charter(home, "channel", "config", "update", "-C", channel, "--file", edited.toString(), "--out",
                update.toString());
        assertThat(built.exitCode()).as(built.toString()).isZero();
        assertThat(built.out()).contains("~ orderer batchTimeout: 250ms -> 1s");
        assertThat(charter(home, "channel", "config", "sign", "--file", update.toString(), "--identity", "a-admin")
                .exitCode()).isZero();
        assertThat(charter(home, "channel", "config", "sign", "--file", update.toString(), "--identity", "b-admin")
                .exitCode()).isZero();
        CliRun submitted = charter(home, "channel", "config", "submit", "-C", channel, "--file", update.toString());
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        assertThat(channelOrderer().config().getOrderer().getBatchTimeout().getSeconds()).isEqualTo(1);

        // the old file is now stale: the sequence moved on
        Path stale = home.resolve("stale.pb");
        CliRun outdated = charter(home, "channel", "config", "update", "-C", channel, "--file", edited.toString(),
                "--out", stale.toString());
        assertThat(outdated.exitCode()).as(outdated.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(outdated.err()).contains("was fetched at sequence 0 but the channel's configuration is at sequence 1");
        assertThat(Files.exists(stale)).isFalse();
    }

    private ChannelOrderer channelOrderer() {
        return orderer.node().channel(channel).orElseThrow();
    }

    @Test
    void channelCreateThenJoinTheOrdererOverItsTransport() throws IOException {
        String created = "new-" + suffix;
        Path block = home.resolve(created + ".block");
        // the node id tells apart the orderers on 127.0.0.1 (other tests' in the shared index, the local network's)
        CliRun create = charter(home, "channel", "create", created, "--orderer", "orderer-" + suffix + ":" + clusterPort,
                "--org", org1 + "," + org2, "--out", block.toString());
        assertThat(create.exitCode()).as(create.toString()).isZero();

        // a client of an organization of the channel is no admin: refused, nothing joined
        CliRun notAdmin = charter(home, "channel", "join", "--orderer", "orderer-" + suffix, "--as", "a-user",
                "--genesis", block.toString());
        assertThat(notAdmin.exitCode()).as(notAdmin.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(notAdmin.err()).contains("the orderer refused")
                .contains("orderer.JoinChannel is for admin of " + ordererOrg);
        assertThat(orderer.node().channel(created)).isEmpty();

        // an admin of a member organization may not make the orderer take on a channel: its operator's admin does
        CliRun memberAdmin = charter(home, "channel", "join", "--orderer", "orderer-" + suffix, "--as", "a-admin",
                "--genesis", block.toString());
        assertThat(memberAdmin.exitCode()).as(memberAdmin.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(memberAdmin.err()).contains("the caller is admin a-admin-" + suffix + " of " + org1);
        assertThat(orderer.node().channel(created)).isEmpty();

        // the orderer's node id through the index, as --peer is
        CliRun joined = charter(home, "channel", "join", "--orderer", "orderer-" + suffix, "--as", "o-admin",
                "--genesis", block.toString(), "-o", "json");
        assertThat(joined.exitCode()).as(joined.toString()).isZero();
        JsonNode json = JSON.readTree(joined.out());
        assertThat(json.path("channel").asString()).isEqualTo(created);
        assertThat(json.path("alreadyJoined").asBoolean()).isFalse();
        assertThat(orderer.node().channel(created)).isPresent();

        // HOST:PORT of the transport; the same block again is no error
        CliRun again = charter(home, "channel", "join", "--orderer", "127.0.0.1:" + orderer.port(), "--as", "o-admin",
                "--genesis", block.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("had already joined channel " + created);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
