package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.sdk.SubmitResult;
import io.charter.protocol.ContractDefinition;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code charter contract approve}: the SDK's {@code Network.approveContract}, as an organization admin ({@code --as}). */
@Command(name = "approve", description = {"Approve a contract definition for your own organization (Fabric's"
        + " approveformyorg): a transaction endorsed by a peer of your organization, ordered and waited for. Needs an"
        + " admin of an application organization (--as); an admin approves for its own organization only. The"
        + " approval records exactly this definition: a commit counts it only for the same name, version, sequence,"
        + " policy, package id and collections (--collections-config).",
        "Example:  charter contract approve --as org1-admin --name asset-transfer --version 1.1 --sequence 2"
                + " --policy \"AND('Org1MSP.peer','Org2MSP.peer')\""})
public final class ContractApproveCommand extends CharterSubcommand {

    @Mixin
    DefinitionOptions options;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() throws IOException {
        ContractDefinition definition = options.definition();
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            SubmitResult result = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                    .approveContract(definition));
            String organization = connection.gateway().identity().mspId();
            Map<String, Object> json = DefinitionOptions.json(ledger.channel(), definition);
            json.put("organization", organization);
            json.put("txId", result.txId());
            json.put("block", result.blockNumber());
            output().result(json, organization + " approved contract " + definition.getName() + " "
                    + definition.getVersion() + " (sequence " + definition.getSequence()
                    + DefinitionOptions.collectionNames(definition) + ") on " + ledger.channel()
                    + ": transaction " + result.txId() + " in block " + result.blockNumber()
                    + "\n'charter contract readiness' shows which organizations approved it");
        }
    }
}
