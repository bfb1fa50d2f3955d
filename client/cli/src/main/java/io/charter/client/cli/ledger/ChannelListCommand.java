package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.identity.Callers;
import io.charter.client.wallet.MembershipAdmin;
import io.charter.client.wallet.Wallet;
import io.charter.client.wallet.WalletIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charter channel list}: the channels the index's nodes report, with their heights. */
@Command(name = "list", description = "List the channels the nodes of the index serve, with the highest height"
        + " reported and how many peers and orderers serve each.")
public final class ChannelListCommand extends CharterSubcommand {

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to act as (default: the wallet's default).")
    String as;

    @Override
    protected void run() {
        Wallet wallet = wallet();
        WalletIdentity caller = Callers.resolve(wallet, as);
        Wallet.Connection connection = wallet.connection().orElseThrow(() -> CliException.usage("the wallet "
                + wallet.folder() + " knows no membership service: start the local network with 'charter up'"));
        List<MembershipAdmin.IndexedNode> nodes;
        try (MembershipAdmin admin = new MembershipAdmin(connection.membershipUrl(), connection.consortiumRoot())) {
            nodes = admin.nodes(caller.credential());
        }
        Map<String, long[]> channels = new TreeMap<>(); // height, peers, orderers
        for (MembershipAdmin.IndexedNode node : nodes) {
            node.channelHeights().forEach((channel, height) -> {
                long[] row = channels.computeIfAbsent(channel, c -> new long[3]);
                row[0] = Math.max(row[0], height);
                row[node.role().equals("peer") ? 1 : 2]++;
            });
        }
        List<Map<String, Object>> json = new ArrayList<>();
        StringBuilder text = new StringBuilder(String.format("%-24s %8s %6s %9s%n", "CHANNEL", "HEIGHT", "PEERS", "ORDERERS"));
        channels.forEach((channel, row) -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("channel", channel);
            view.put("height", row[0]);
            view.put("peers", row[1]);
            view.put("orderers", row[2]);
            json.add(view);
            text.append(String.format("%-24s %8d %6d %9d%n", channel, row[0], row[1], row[2]));
        });
        if (channels.isEmpty()) {
            text.append("(no node reports a channel)\n");
        }
        output().result(json, text.toString());
    }
}
