package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.sdk.OrdererAdmin;
import io.charter.client.sdk.PeerAdmin;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code charter channel leave}: a peer ({@code peer.LeaveChannel}) or an orderer ({@code orderer.LeaveChannel})
 * leaves a channel over its transport, without stopping, in a request signed by an admin of the node's own
 * organization (as Fabric's {@code osnadmin channel remove}); the node does not rejoin the channel when restarted.
 * Its data is kept (a join with the same genesis block takes it back) unless {@code --remove-data}.
 */
@Command(name = "leave", description = {"Make a peer (--peer) or an orderer (--orderer) leave a channel over its"
        + " transport, without stopping it (a request signed by the identity, an admin of the node's own"
        + " organization). The node stops serving the channel and does not rejoin it when restarted ('charter up'"
        + " included). Its ledger (a peer's) or blocks (an orderer's) are kept, so that joining again with the same"
        + " genesis block takes them back, unless --remove-data. A channel the node has not joined is NOT_JOINED"
        + " (exit 2).",
        "Example:  charter channel leave mychannel --peer peer1.org2 --as org2-admin",
        "          charter channel leave mychannel --peer localhost:7073 --as org2-admin --remove-data",
        "          charter channel leave mychannel --orderer orderer3 --as orderer-admin"})
public final class ChannelLeaveCommand extends CharterSubcommand {

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel to leave.")
    String channel;

    @Option(names = "--orderer", paramLabel = "ORDERER", description = "Make an orderer leave instead of a peer, over its"
            + " transport: HOST:PORT (e.g. localhost:7050, the orderers' ports that 'charter status' lists) or its node"
            + " id in the index (e.g. orderer1); the identity must be an admin of the orderer's organization.")
    String orderer;

    @Option(names = "--remove-data", description = "Delete the channel's data on the node (a peer's ledger, an"
            + " orderer's blocks) instead of keeping it.")
    boolean removeData;

    @Mixin
    AdminOptions admin;

    @Override
    protected void run() throws IOException {
        if (admin.peer != null && orderer != null) {
            throw CliException.usage("give one of --peer and --orderer: one node leaves at a time");
        }
        if (orderer != null) {
            OrdererAdmin.LeftChannel left;
            try (OrdererAdmin node = admin.connectOrdererTransport(wallet(), orderer)) {
                left = node.leave(channel, removeData);
            } catch (OrdererAdmin.OrdererAdminException e) {
                throw AdminOptions.translate(e);
            }
            report("orderer", orderer, left.channelId(), left.height(), left.dataRemoved(), "blocks");
            return;
        }
        if (admin.peer == null) {
            throw CliException.usage("give --peer HOST:PORT or NODE-ID (a peer), or --orderer HOST:PORT or NODE-ID (an"
                    + " orderer)");
        }
        PeerAdmin.LeftChannel left;
        try (PeerAdmin peer = admin.connectPeer(wallet())) {
            left = peer.leave(channel, removeData);
        } catch (PeerAdmin.PeerAdminException e) {
            throw AdminOptions.translate(e);
        }
        report("peer", admin.peer, left.channelId(), left.height(), left.dataRemoved(), "ledger");
    }

    private void report(String role, String node, String channelId, long height, boolean dataRemoved, String data) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(role, node);
        json.put("channel", channelId);
        json.put("height", height);
        json.put("dataRemoved", dataRemoved);
        output().result(json, node + " left channel " + channelId + " at height " + height + "; its " + data
                + (dataRemoved ? " is deleted" : " is kept (join again with the genesis block to take it back)"));
    }
}
