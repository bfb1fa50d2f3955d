package io.charter.client.cli.ledger;

import io.charter.client.cli.CliException;
import io.charter.client.cli.ExitCodes;
import io.charter.client.sdk.CollectionsConfig;
import io.charter.common.lifecycle.DefinitionProblem;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.protocol.CollectionConfig;
import io.charter.protocol.ContractDefinition;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--collections-config", paramLabel = "FILE", description = "The contract's private data collections,"
            + " in Fabric's collections_config.json format: a JSON array of {name, policy, requiredPeerCount, maxPeerCount,"
            + " blockToLive, memberOnlyRead, memberOnlyWrite, endorsementPolicy}. Part of the definition: every organization"
            + " approves the same file (the same collections in the same order). Default: no collections (each organization"
            + " still has its implicit collection _implicit_org_<mspId>).")
    Path collectionsConfig;

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
        ContractDefinition.Builder builder = ContractDefinition.newBuilder().setName(name).setVersion(version)
                .setSequence(sequence).setEndorsementPolicy(policy == null ? "" : policy).setPackageId(id);
        if (collectionsConfig != null) {
            builder.addAllCollections(collections(collectionsConfig));
        }
        ContractDefinition definition = builder.build();
        Optional<DefinitionProblem> problem = DefinitionRules.check(definition);
        if (problem.isPresent()) {
            throw new CliException(ExitCodes.USAGE, problem.get().code().name(), "not a valid definition ("
                    + problem.get().code() + "): " + problem.get().message());
        }
        return definition;
    }

    /** The collections of a collections_config.json file; a file that is not one is a usage error naming it. */
    static List<CollectionConfig> collections(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no such collections config: " + file);
        }
        try {
            return CollectionsConfig.parse(Files.readString(file));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new CliException(ExitCodes.USAGE, "BAD_COLLECTIONS_CONFIG", "not a collections config: " + file + ": "
                    + e.getMessage());
        }
    }

    /** A definition's collections for --output json, with Fabric's field names. */
    static List<Map<String, Object>> collectionsJson(ContractDefinition definition) {
        List<Map<String, Object>> collections = new ArrayList<>();
        for (CollectionConfig c : definition.getCollectionsList()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", c.getName());
            json.put("policy", c.getMemberPolicy());
            json.put("requiredPeerCount", c.getRequiredPeerCount());
            json.put("maxPeerCount", c.getMaxPeerCount());
            json.put("blockToLive", c.getBlockToLive());
            json.put("memberOnlyRead", c.getMemberOnlyRead());
            json.put("memberOnlyWrite", c.getMemberOnlyWrite());
            json.put("endorsementPolicy", c.getEndorsementPolicy());
            collections.add(json);
        }
        return collections;
    }

    /** {@code ", collections [a, b]"} for a definition with collections, else empty. */
    static String collectionNames(ContractDefinition definition) {
        return definition.getCollectionsCount() == 0 ? "" : ", collections "
                + definition.getCollectionsList().stream().map(CollectionConfig::getName).toList();
    }

    /** A definition's collections as text lines, each starting with {@code indent}; empty when it has none. */
    static String collectionsText(ContractDefinition definition, String indent) {
        StringBuilder text = new StringBuilder();
        for (CollectionConfig c : definition.getCollectionsList()) {
            text.append(indent).append("collection ").append(c.getName()).append(": members ").append(c.getMemberPolicy())
                    .append(", peers ").append(c.getRequiredPeerCount()).append("..").append(c.getMaxPeerCount())
                    .append(", blockToLive ").append(c.getBlockToLive() == 0 ? "0 (forever)" : c.getBlockToLive())
                    .append(c.getMemberOnlyRead() ? ", member-only read" : "")
                    .append(c.getMemberOnlyWrite() ? ", member-only write" : "")
                    .append(c.getEndorsementPolicy().isEmpty() ? "" : ", endorsement " + c.getEndorsementPolicy())
                    .append('\n');
        }
        return text.toString();
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
        json.put("collections", collectionsJson(definition));
        return json;
    }
}
