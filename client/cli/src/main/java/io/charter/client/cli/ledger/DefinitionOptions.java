package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.protocol.ContractDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The definition that {@code charter contract approve}, {@code readiness} and {@code commit} name: the same
 * options for all three, since a commit counts an approval only for exactly the same definition.
 */
final class DefinitionOptions {

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "The contract's name.")
    String name;

    @Option(names = "--version", paramLabel = "VERSION", required = true, description = "Free text, e.g. 1.0.")
    String version;

    @Option(names = "--sequence", paramLabel = "N", required = true, description = "1 for a new contract, then the"
            + " committed definition's + 1 ('charter contract list' shows it).")
    long sequence;

    @Option(names = "--policy", paramLabel = "POLICY", description = "The endorsement policy, e.g."
            + " \"AND('Org1MSP.peer','Org2MSP.peer')\" (default: the channel's Endorsement policy).")
    String policy;

    @Option(names = "--package-id", paramLabel = "ID", description = "The package peers run (name:sha-256, printed by"
            + " 'charter contract package'; default: the latest installed package of that name).")
    String packageId;

    @Option(names = "--jar", paramLabel = "FILE", description = "Take the package id from this contract jar.")
    Path jar;

    /** The definition the options give, checked for form. */
    ContractDefinition definition() throws IOException {
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
        Optional<String> problem = DefinitionRules.problem(definition);
        if (problem.isPresent()) {
            throw CliException.usage("not a valid definition: " + problem.get());
        }
        return definition;
    }

    /** The definition's fields for --output json. */
    static Map<String, Object> json(String channel, ContractDefinition definition) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channel", channel);
        json.put("name", definition.getName());
        json.put("version", definition.getVersion());
        json.put("sequence", definition.getSequence());
        json.put("policy", definition.getEndorsementPolicy());
        json.put("packageId", definition.getPackageId());
        return json;
    }
}
