package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.protocol.ContractDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code charter contract list}: the contracts defined on a channel, as the peers' committed lifecycle state has them
 * ({@code peer.ContractDefinitions}, answered by the peer at the greatest height): one call, however long the chain.
 */
@Command(name = "list", description = {"List the contracts defined on the channel (name, version, sequence, endorsement"
        + " policy, package id, approving organizations, private data collections), from the peers' committed definitions.",
        "Example:  charter contract list -C mychannel"})
public final class ContractListCommand extends CharterSubcommand {

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() {
        List<ContractDefinition> defined;
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            defined = SdkErrors.call(() -> connection.gateway().network(ledger.channel()).contractDefinitions());
        }
        List<Map<String, Object>> json = new ArrayList<>();
        StringBuilder text = new StringBuilder(defined.isEmpty() ? "no contract is defined on " + ledger.channel() + "\n"
                : String.format("%-20s %-10s %-9s %-40s %s%n", "NAME", "VERSION", "SEQUENCE", "POLICY", "PACKAGE"));
        for (ContractDefinition d : defined) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", d.getName());
            row.put("version", d.getVersion());
            row.put("sequence", d.getSequence());
            row.put("endorsementPolicy", d.getEndorsementPolicy());
            row.put("packageId", d.getPackageId());
            row.put("approvedBy", d.getApprovedByList());
            row.put("collections", DefinitionOptions.collectionsJson(d));
            json.add(row);
            text.append(String.format("%-20s %-10s %-9d %-40s %s%n", d.getName(), d.getVersion(), d.getSequence(),
                    d.getEndorsementPolicy().isEmpty() ? "(channel Endorsement)" : d.getEndorsementPolicy(),
                    d.getPackageId().isEmpty() ? "(latest installed)" : d.getPackageId()));
            text.append(DefinitionOptions.collectionsText(d, "  "));
        }
        output().result(json, text.toString().stripTrailing());
    }
}
