package io.charter.client.cli.ledger;

import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.sdk.SubmitResult;
import io.charter.peer.lifecycle.Lifecycle;
import io.charter.protocol.ContractDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code charter contract define}: a {@code CONTRACT_DEFINITION} transaction through the SDK's
 * {@code Network.defineContract}, as an organization admin of the wallet ({@code --as}).
 */
@Command(name = "define", description = {"Define (or redefine) a contract on the channel: a CONTRACT_DEFINITION"
        + " transaction endorsed by a peer of every organization, ordered and waited for. Needs an organization"
        + " admin identity (--as).",
        "Example:  charter contract define --as org1-admin --name asset-transfer --version 1.1 --sequence 2"
                + " --policy \"AND('Org1MSP.peer','Org2MSP.peer')\""})
public final class ContractDefineCommand extends CharterSubcommand {

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "The contract's name.")
    String name;

    @Option(names = "--version", paramLabel = "VERSION", required = true, description = "Free text, e.g. 1.0.")
    String version;

    @Option(names = "--sequence", paramLabel = "N", required = true, description = "1 for a new contract, then the"
            + " previous definition's + 1 ('charter contract list' shows it).")
    long sequence;

    @Option(names = "--policy", paramLabel = "POLICY", description = "The endorsement policy, e.g."
            + " \"AND('Org1MSP.peer','Org2MSP.peer')\" (default: the channel's Endorsement policy).")
    String policy;

    @Option(names = "--package-id", paramLabel = "ID", description = "The package peers run (name:sha-256, printed by"
            + " 'charter contract package'; default: the latest installed package of that name).")
    String packageId;

    @Option(names = "--jar", paramLabel = "FILE", description = "Take the package id from this contract jar.")
    Path jar;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() throws IOException {
        if (packageId != null && jar != null) {
            throw CliException.usage("give --package-id or --jar, not both");
        }
        String id = packageId != null ? packageId : "";
        if (jar != null) {
            if (!Files.isRegularFile(jar)) {
                throw CliException.usage("no such jar: " + jar);
            }
            id = ContractPackageCommand.check(Files.readAllBytes(jar)).packageId();
        }
        ContractDefinition definition = ContractDefinition.newBuilder().setName(name).setVersion(version)
                .setSequence(sequence).setEndorsementPolicy(policy == null ? "" : policy).setPackageId(id).build();
        String problem = Lifecycle.problem(definition);
        if (problem != null) {
            throw CliException.usage("not a valid definition: " + problem);
        }
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            SubmitResult result = SdkErrors.call(() -> connection.gateway().network(ledger.channel())
                    .defineContract(definition));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("channel", ledger.channel());
            json.put("name", name);
            json.put("version", version);
            json.put("sequence", sequence);
            json.put("policy", definition.getEndorsementPolicy());
            json.put("packageId", id);
            json.put("txId", result.txId());
            json.put("block", result.blockNumber());
            output().result(json, "defined contract " + name + " " + version + " (sequence " + sequence + ") on "
                    + ledger.channel() + ": transaction " + result.txId() + " in block " + result.blockNumber());
        }
    }
}
