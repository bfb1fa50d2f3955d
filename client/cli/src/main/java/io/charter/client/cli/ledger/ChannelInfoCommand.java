package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.sdk.ChannelConfigs;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrganizationConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charter channel info}: a channel's configuration in force, as the orderers hold it. */
@Command(name = "info", description = {"Show a channel's configuration in force (read from the orderers' latest config"
        + " block): organizations and anchor peers, orderers (Raft consenters), batch parameters and policies.",
        "The whole configuration, editable: 'charter channel config fetch'.",
        "Example:  charter channel info -C mychannel"})
public final class ChannelInfoCommand extends CharterSubcommand {

    @Option(names = {"-C", "--channel"}, paramLabel = "CHANNEL", defaultValue = NetworkLayout.CHANNEL,
            description = "The channel (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--as", paramLabel = "NAME", description = "The wallet identity to act as (a member of the"
            + " channel; default: the wallet's default).")
    String as;

    @Option(names = "--orderer", paramLabel = "ORDERER", description = "Ask this orderer instead of those the index"
            + " lists: its node id (e.g. orderer2) or HOST:PORT of its transport (no index needed).")
    String orderer;

    @Override
    protected void run() {
        ConfigSupport.ChannelOptions options = new ConfigSupport.ChannelOptions();
        options.channel = channel;
        options.as = as;
        options.orderer = orderer;
        try (LedgerOptions.Connection connection = options.connect(wallet())) {
            ChannelConfigs.ConfigBlock block = ConfigSupport.current(connection, channel);
            ChannelConfig config = block.config();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("channel", config.getChannelId());
            json.put("sequence", config.getSequence());
            json.put("configBlock", block.blockNumber());
            List<Map<String, Object>> organizations = new ArrayList<>();
            StringBuilder text = new StringBuilder("channel " + config.getChannelId() + " (configuration sequence "
                    + config.getSequence() + ", from block " + block.blockNumber() + ")\n  organizations:\n");
            for (OrganizationConfig organization : config.getOrganizationsList()) {
                List<String> anchors = organization.getAnchorPeersList().stream().map(ChannelInfoCommand::address).toList();
                organizations.add(Map.of("mspId", organization.getMspId(), "anchorPeers", anchors));
                text.append("    ").append(organization.getMspId()).append(anchors.isEmpty() ? "" : "  anchor peers "
                        + String.join(", ", anchors)).append('\n');
            }
            json.put("organizations", organizations);
            List<String> consenters = config.getOrderer().getConsentersList().stream().map(Consenter::getEndpoint)
                    .map(ChannelInfoCommand::address).toList();
            json.put("consenters", consenters);
            var batch = config.getOrderer().getBatchSize();
            long timeoutMillis = config.getOrderer().getBatchTimeout().getSeconds() * 1000
                    + config.getOrderer().getBatchTimeout().getNanos() / 1_000_000;
            json.put("batch", Map.of("maxMessageCount", batch.getMaxMessageCount(), "preferredMaxBytes",
                    batch.getPreferredMaxBytes(), "absoluteMaxBytes", batch.getAbsoluteMaxBytes(), "timeoutMillis",
                    timeoutMillis));
            Map<String, String> policies = new TreeMap<>(config.getPoliciesMap());
            json.put("policies", policies);
            text.append("  orderers (Raft): ").append(String.join(", ", consenters)).append('\n')
                    .append("  batch: ").append(batch.getMaxMessageCount()).append(" transactions, ")
                    .append(batch.getPreferredMaxBytes()).append(" bytes preferred, ").append(batch.getAbsoluteMaxBytes())
                    .append(" bytes at most, ").append(timeoutMillis).append(" ms timeout\n  policies:\n");
            policies.forEach((name, rule) -> text.append(String.format("    %-21s %s%n", name, rule)));
            output().result(json, text.toString());
        }
    }

    private static String address(Endpoint endpoint) {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }
}
