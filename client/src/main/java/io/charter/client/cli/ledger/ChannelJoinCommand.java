package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
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

/** {@code charter channel join}: a peer joins a channel from its genesis block, through the peer's admin REST API. */
@Command(name = "join", description = {"Make a peer join a channel from the channel's genesis block, through the peer's"
        + " admin REST API (HTTPS with the identity's TLS certificate; an admin of the peer's organization), or an"
        + " orderer through its channel participation API (--orderer-admin).",
        "The local network ('charter up') serves no admin API: its peers have joined its channel already.",
        "Example:  charter channel join --peer https://peer0.org1.example.com:9445 --as org1-admin --genesis mychannel.block",
        "          charter channel join --orderer-admin https://orderer-0.orderer:9443 --as orderer-admin --genesis mychannel.block"})
public final class ChannelJoinCommand extends CharterSubcommand {

    @Option(names = "--genesis", paramLabel = "FILE", required = true, description = "The channel's genesis block"
            + " (block 0, protobuf bytes).")
    Path genesis;

    @Option(names = "--orderer-admin", paramLabel = "URL", description = "Join an orderer instead of a peer: its"
            + " channel participation API, e.g. https://orderer-0.orderer:9443 (POST /participation/v1/channels; an"
            + " admin of the orderer's organization, or of an organization of the channel).")
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
        if (ordererAdmin != null) {
            if (admin.peer != null) {
                throw CliException.usage("give --peer or --orderer-admin, not both: one node joins at a time");
            }
            JsonNode joined = admin.connectOrderer(wallet(), ordererAdmin).post("/channels", bytes);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("orderer", ordererAdmin);
            json.put("channel", joined.path("name").asString(""));
            json.put("height", joined.path("height").asLong(0));
            json.put("status", joined.path("status").asString(""));
            output().result(json, ordererAdmin + " joined channel " + json.get("channel") + " (height "
                    + json.get("height") + ", " + json.get("status") + ")");
            return;
        }
        JsonNode joined = admin.connect(wallet()).post("/channels", bytes);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peer", admin.peer);
        json.put("channel", joined.path("id").asString(""));
        json.put("height", joined.path("height").asLong(0));
        json.put("status", joined.path("status").asString(""));
        output().result(json, admin.peer + " joined channel " + json.get("channel") + " (height " + json.get("height")
                + ", " + json.get("status") + ")");
    }
}
