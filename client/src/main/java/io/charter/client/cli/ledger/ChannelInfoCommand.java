package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.sdk.BlockEvent;
import io.charter.client.sdk.EventStream;
import io.charter.peer.validation.ChannelContext;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.Endpoint;
import io.charter.protocol.OrganizationConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code charter channel info}: a channel's configuration as its genesis block set it. */
@Command(name = "info", description = {"Show a channel's configuration from its genesis block: organizations and"
        + " anchor peers, orderers (Raft consenters), batch parameters and policies.",
        "Example:  charter channel info -C mychannel"})
public final class ChannelInfoCommand extends CharterSubcommand {

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        try (LedgerOptions.Connection connection = ledger.connect(wallet());
                EventStream<BlockEvent> blocks = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                        .blockEvents(0))) {
            BlockEvent genesis = SdkErrors.call(() -> blocks.next(Duration.ofSeconds(10))).orElseThrow(() ->
                    new CliException(ExitCodes.NOT_FOUND, "CHANNEL_NOT_FOUND", "no peer served the genesis block of "
                            + ledger.channel() + " within 10 s"));
            ChannelConfig config = ChannelContext.configOf(genesis.block());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("channel", config.getChannelId());
            json.put("sequence", config.getSequence());
            List<Map<String, Object>> organizations = new ArrayList<>();
            StringBuilder text = new StringBuilder("channel " + config.getChannelId() + " (configuration sequence "
                    + config.getSequence() + ", from its genesis block)\n  organizations:\n");
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
