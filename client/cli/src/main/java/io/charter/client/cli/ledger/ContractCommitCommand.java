package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.sdk.SubmitResult;
import io.charter.protocol.ContractDefinition;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code charter contract commit}: the SDK's {@code Network.commitContract}, as an organization admin ({@code --as}). */
@Command(name = "commit", description = {"Commit a contract definition on the channel (Fabric's commit): a"
        + " transaction endorsed by a peer of every organization, ordered and waited for. Accepted only when the"
        + " organizations that approved exactly this definition satisfy the channel's LifecycleEndorsement policy"
        + " (MAJORITY Endorsement by default); refused with APPROVALS_INSUFFICIENT naming the organizations missing."
        + " The committed definition records who approved it. Needs an organization admin (--as).",
        "Example:  charter contract commit --as org1-admin --name asset-transfer --version 1.1 --sequence 2"
                + " --policy \"AND('Org1MSP.peer','Org2MSP.peer')\""})
public final class ContractCommitCommand extends CharterSubcommand {

    @Mixin
    DefinitionOptions options;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() throws IOException {
        ContractDefinition definition = options.definition();
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            SubmitResult result = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                    .commitContract(definition));
            Map<String, Object> json = DefinitionOptions.json(ledger.channel(), definition);
            json.put("txId", result.txId());
            json.put("block", result.blockNumber());
            output().result(json, "committed contract " + definition.getName() + " " + definition.getVersion()
                    + " (sequence " + definition.getSequence() + DefinitionOptions.collectionNames(definition) + ") on "
                    + ledger.channel() + ": transaction "
                    + result.txId() + " in block " + result.blockNumber());
        }
    }
}
