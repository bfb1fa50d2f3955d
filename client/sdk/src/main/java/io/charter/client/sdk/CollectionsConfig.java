package io.charter.client.sdk;

import io.charter.common.lifecycle.DefinitionRules;
import io.charter.protocol.CollectionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a collection definition file in Fabric's {@code collections_config.json} format into the collections of a
 * {@link io.charter.protocol.ContractDefinition}, for {@link Network#approveContract}, {@link Network#commitContract}
 * and {@link Network#contractReadiness}: a JSON array of objects with
 *
 * <ul>
 *   <li>{@code name} (required) and {@code policy} (required, the member policy, e.g.
 *       {@code "OR('Org1MSP.member', 'Org2MSP.member')"});
 *   <li>{@code requiredPeerCount}, {@code maxPeerCount}, {@code blockToLive} (integers, default 0);
 *   <li>{@code memberOnlyRead}, {@code memberOnlyWrite} (booleans, default false);
 *   <li>{@code endorsementPolicy}: {@code {"signaturePolicy": "..."}} as in Fabric, or the policy text itself
 *       (Charter's policy language also takes {@code MAJORITY Endorsement}); Fabric's {@code channelConfigPolicy}
 *       reference is refused with what to write instead.
 * </ul>
 *
 * Unknown fields and wrong types are refused (a misspelt {@code memberOnlyread} would otherwise be ignored). The
 * collections keep the file's order, which is part of the definition. Whether they are well-formed (names, counts,
 * policies) is {@link DefinitionRules}'s, checked separately.
 */
public final class CollectionsConfig {

    private static final Set<String> FIELDS = Set.of("name", "policy", "requiredPeerCount", "maxPeerCount", "blockToLive",
            "memberOnlyRead", "memberOnlyWrite", "endorsementPolicy");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CollectionsConfig() {}

    /**
     * The collections {@code json} defines.
     *
     * @throws IllegalArgumentException saying what is wrong and where (the collection's position and name)
     */
    public static List<CollectionConfig> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("a collections config is a JSON array of collections,"
                    + " e.g. [{\"name\": \"prices\", \"policy\": \"OR('Org1MSP.member', 'Org2MSP.member')\", ...}]");
        }
        List<CollectionConfig> collections = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            collections.add(collection(root.get(i), i + 1));
        }
        return collections;
    }

    private static CollectionConfig collection(JsonNode node, int position) {
        String where = "collection " + position;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isString()) {
            throw new IllegalArgumentException(where + " has no \"name\" (a string)");
        }
        where += " ('" + name.asString() + "')";
        for (String field : node.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + field + "\"; the fields are "
                        + List.of("name", "policy", "requiredPeerCount", "maxPeerCount", "blockToLive", "memberOnlyRead",
                        "memberOnlyWrite", "endorsementPolicy"));
            }
        }
        JsonNode policy = node.get("policy");
        if (policy == null || !policy.isString()) {
            throw new IllegalArgumentException(where + " has no \"policy\" (a string such as"
                    + " \"OR('Org1MSP.member', 'Org2MSP.member')\": the members of the collection)");
        }
        CollectionConfig.Builder collection = CollectionConfig.newBuilder().setName(name.asString())
                .setMemberPolicy(policy.asString())
                .setRequiredPeerCount(integer(node, "requiredPeerCount", where))
                .setMaxPeerCount(integer(node, "maxPeerCount", where))
                .setBlockToLive(longInteger(node, "blockToLive", where))
                .setMemberOnlyRead(bool(node, "memberOnlyRead", where))
                .setMemberOnlyWrite(bool(node, "memberOnlyWrite", where));
        JsonNode endorsement = node.get("endorsementPolicy");
        if (endorsement != null && !endorsement.isNull()) {
            collection.setEndorsementPolicy(endorsementPolicy(endorsement, where));
        }
        return collection.build();
    }

    private static String endorsementPolicy(JsonNode endorsement, String where) {
        if (endorsement.isString()) {
            return endorsement.asString();
        }
        if (endorsement.isObject() && endorsement.size() == 1 && endorsement.has("signaturePolicy")
                && endorsement.get("signaturePolicy").isString()) {
            return endorsement.get("signaturePolicy").asString();
        }
        if (endorsement.isObject() && endorsement.has("channelConfigPolicy")) {
            throw new IllegalArgumentException(where + ": \"channelConfigPolicy\" references are not supported; write the"
                    + " policy itself, e.g. \"endorsementPolicy\": {\"signaturePolicy\": \"MAJORITY Endorsement\"}");
        }
        throw new IllegalArgumentException(where + ": \"endorsementPolicy\" is {\"signaturePolicy\": \"<policy>\"} or"
                + " the policy text");
    }

    private static int integer(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is an integer, not " + value);
        }
        return value.intValue();
    }

    private static long longInteger(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is an integer, not " + value);
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is true or false, not " + value);
        }
        return value.booleanValue();
    }
}
