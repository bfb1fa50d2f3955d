package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.sdk.OrdererAdmin;
import io.charter.client.sdk.PeerAdmin;
import io.charter.protocol.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code charter channel join}: a peer joins a channel from its genesis block over the peer's transport
 * ({@code peer.JoinChannel}, a request signed by an admin of the peer's organization, as Fabric's
 * {@code peer channel join}); an orderer over its transport ({@code orderer.JoinChannel}, signed by an admin of
 * an organization of the channel; what the local network's orderers serve), or through its channel participation
 * REST API ({@code --orderer-admin}, for deployments that expose only the admin port). Both orderer paths apply
 * the same rules.
 */
@Command(name = "join", description = {"Make a peer join a channel from the channel's genesis block, over the peer's"
        + " transport (a request signed by the identity, an admin of the peer's organization; joining again with the"
        + " same block is no error), or an orderer over its transport (--orderer; a request signed by an admin of an"
        + " organization of the channel) or through its channel participation API (--orderer-admin).",
        "Example:  charter channel join --peer peer0.org1 --as org1-admin --genesis mychannel.block",
        "          charter channel join --peer localhost:7070 --as org1-admin --genesis mychannel.block",
        "          charter channel join --orderer orderer1 --as orderer-admin --genesis mychannel.block",
        "          charter channel join --orderer-admin https://orderer-0.orderer:9443 --as orderer-admin --genesis mychannel.block"})
public final class ChannelJoinCommand extends CharterSubcommand {

    @Option(names = "--genesis", paramLabel = "FILE", required = true, description = "The channel's genesis block"
            + " (block 0, protobuf bytes).")
    Path genesis;

    @Option(names = "--orderer", paramLabel = "ORDERER", description = "Join an orderer instead of a peer, over its"
            + " transport: HOST:PORT (e.g. localhost:7050, the orderers' ports that 'charter status' lists) or its node"
            + " id in the index (e.g. orderer1); the identity must be an admin of an organization of the channel.")
    String orderer;

    @Option(names = "--orderer-admin", paramLabel = "URL", description = "Join an orderer instead of a peer, through"
            + " its channel participation API, e.g. https://orderer-0.orderer:9443 (POST /participation/v1/channels;"
            + " an admin of an organization of the channel), for deployments that expose only the admin port.")
    String ordererAdmin;

    @Mixin
    AdminOptions admin;

    @Override
    protected void run() throws IOException {
        if (!Files.isRegularFile(genesis)) {
            throw CliException.usage("no such file: " + genesis);
        }
        byte[] bytes = Files.readAllBytes(genesis);
        Block block;
        try {
            block = Block.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw CliException.usage(genesis + " is not a block: give the channel's genesis block");
        }
        if (!block.hasHeader() || block.getHeader().getNumber() != 0) {
            throw CliException.usage(genesis + " is block " + block.getHeader().getNumber()
                    + ", not a genesis block: give the channel's block 0");
        }
        int targets = (admin.peer != null ? 1 : 0) + (orderer != null ? 1 : 0) + (ordererAdmin != null ? 1 : 0);
        if (targets > 1) {
            throw CliException.usage("give one of --peer, --orderer and --orderer-admin: one node joins at a time");
        }
        if (orderer != null) {
            OrdererAdmin.JoinedChannel joined;
            try (OrdererAdmin node = admin.connectOrdererTransport(wallet(), orderer)) {
                joined = node.join(bytes);
            } catch (OrdererAdmin.OrdererAdminException e) {
                throw AdminOptions.translate(e);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("orderer", orderer);
            json.put("channel", joined.channelId());
            json.put("height", joined.height());
            json.put("alreadyJoined", joined.alreadyJoined());
            output().result(json, orderer + (joined.alreadyJoined() ? " had already joined channel " : " joined channel ")
                    + joined.channelId() + " (height " + joined.height() + ")");
            return;
        }
        if (ordererAdmin != null) {
            PeerAdminClient.Answer answer = admin.connectOrderer(wallet(), ordererAdmin).post("/channels", bytes);
            JsonNode joined = answer.body();
            boolean alreadyJoined = answer.status() == 200; // 201 when joined now, 200 when joined before with this block
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("orderer", ordererAdmin);
            json.put("channel", joined.path("name").asString(""));
            json.put("height", joined.path("height").asLong(0));
            json.put("status", joined.path("status").asString(""));
            json.put("alreadyJoined", alreadyJoined);
            output().result(json, ordererAdmin + (alreadyJoined ? " had already joined channel " : " joined channel ")
                    + json.get("channel") + " (height " + json.get("height") + ", " + json.get("status") + ")");
            return;
        }
        if (admin.peer == null) {
            throw CliException.usage("give --peer HOST:PORT or NODE-ID (a peer), or --orderer HOST:PORT or NODE-ID or"
                    + " --orderer-admin URL (an orderer)");
        }
        PeerAdmin.JoinedChannel joined;
        try (PeerAdmin peer = admin.connectPeer(wallet())) {
            joined = peer.join(bytes);
        } catch (PeerAdmin.PeerAdminException e) {
            throw AdminOptions.translate(e);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peer", admin.peer);
        json.put("channel", joined.channelId());
        json.put("height", joined.height());
        json.put("alreadyJoined", joined.alreadyJoined());
        output().result(json, admin.peer + (joined.alreadyJoined() ? " had already joined channel " : " joined channel ")
                + joined.channelId() + " (height " + joined.height() + ")");
    }
}
