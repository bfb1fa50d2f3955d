package io.charter.client.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.protocol.CollectionConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fabric's collections_config.json read into a definition's collections, and what a bad file is told. */
class CollectionsConfigTest {

    private static final String FABRIC = """
            [
              {
                "name": "assetCollection",
                "policy": "OR('Org1MSP.member', 'Org2MSP.member')",
                "requiredPeerCount": 1,
                "maxPeerCount": 1,
                "blockToLive": 1000000,
                "memberOnlyRead": true,
                "memberOnlyWrite": true
              },
              {
                "name": "Org1MSPPrivateCollection",
                "policy": "OR('Org1MSP.member')",
                "requiredPeerCount": 0,
                "maxPeerCount": 1,
                "blockToLive": 3,
                "memberOnlyRead": true,
                "memberOnlyWrite": false,
                "endorsementPolicy": {
                  "signaturePolicy": "OR('Org1MSP.member')"
                }
              },
              {"name": "minimal", "policy": "'Org2MSP.member'", "endorsementPolicy": "MAJORITY Endorsement"}
            ]
            """;

    @Test
    void readsFabricsCollectionsConfigInItsOrder() {
        List<CollectionConfig> collections = CollectionsConfig.parse(FABRIC);

        assertThat(collections).containsExactly(
                CollectionConfig.newBuilder().setName("assetCollection").setMemberPolicy("OR('Org1MSP.member', 'Org2MSP.member')")
                        .setRequiredPeerCount(1).setMaxPeerCount(1).setBlockToLive(1000000).setMemberOnlyRead(true)
                        .setMemberOnlyWrite(true).build(),
                CollectionConfig.newBuilder().setName("Org1MSPPrivateCollection").setMemberPolicy("OR('Org1MSP.member')")
                        .setRequiredPeerCount(0).setMaxPeerCount(1).setBlockToLive(3).setMemberOnlyRead(true)
                        .setEndorsementPolicy("OR('Org1MSP.member')").build(),
                CollectionConfig.newBuilder().setName("minimal").setMemberPolicy("'Org2MSP.member'")
                        .setEndorsementPolicy("MAJORITY Endorsement").build());
        assertThat(CollectionsConfig.parse("[]")).isEmpty();
        // values the definition rules refuse are read as written, so that the refusal names them
        assertThat(CollectionsConfig.parse("[{\"name\": \"n\", \"policy\": \"p\", \"requiredPeerCount\": -1, \"blockToLive\": -2,"
                + " \"endorsementPolicy\": null}]").getFirst())
                .isEqualTo(CollectionConfig.newBuilder().setName("n").setMemberPolicy("p").setRequiredPeerCount(-1)
                        .setBlockToLive(-2).build());
    }

    @Test
    void aBadFileIsRefusedSayingWhatAndWhere() {
        assertRefused("{", "not JSON: ");
        assertRefused("{\"name\": \"x\"}", "a collections config is a JSON array of collections");
        assertRefused("", "a collections config is a JSON array");
        assertRefused("[1]", "collection 1 is not a JSON object");
        assertRefused("[{\"policy\": \"OR('A.member')\"}]", "collection 1 has no \"name\" (a string)");
        assertRefused("[{\"name\": 5, \"policy\": \"OR('A.member')\"}]", "collection 1 has no \"name\"");
        assertRefused("[{\"name\": \"a\", \"policy\": \"'A.member'\"}, {\"name\": \"b\"}]", "collection 2 ('b') has no \"policy\"");
        assertRefused("[{\"name\": \"b\", \"policy\": {\"identities\": []}}]", "collection 1 ('b') has no \"policy\" (a string");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"memberOnlyread\": true}]",
                "collection 1 ('b'): unknown field \"memberOnlyread\"; the fields are [name, policy, requiredPeerCount,");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"requiredPeerCount\": \"1\"}]",
                "collection 1 ('b'): \"requiredPeerCount\" is an integer, not \"1\"");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"maxPeerCount\": 1.5}]",
                "collection 1 ('b'): \"maxPeerCount\" is an integer, not 1.5");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"maxPeerCount\": 3000000000}]",
                "collection 1 ('b'): \"maxPeerCount\" is an integer, not 3000000000");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"blockToLive\": \"x\"}]",
                "collection 1 ('b'): \"blockToLive\" is an integer, not \"x\"");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"blockToLive\": 1e30}]",
                "collection 1 ('b'): \"blockToLive\" is an integer, not ");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"blockToLive\": 100000000000000000000}]",
                "collection 1 ('b'): \"blockToLive\" is an integer, not 100000000000000000000");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"memberOnlyWrite\": \"yes\"}]",
                "collection 1 ('b'): \"memberOnlyWrite\" is true or false, not \"yes\"");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"endorsementPolicy\": {\"channelConfigPolicy\": \"Endorsement\"}}]",
                "collection 1 ('b'): \"channelConfigPolicy\" references are not supported");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"endorsementPolicy\": 3}]",
                "collection 1 ('b'): \"endorsementPolicy\" is {\"signaturePolicy\": \"<policy>\"} or the policy text");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"endorsementPolicy\": {\"signaturePolicy\": 3}}]",
                "collection 1 ('b'): \"endorsementPolicy\" is {\"signaturePolicy\"");
        assertRefused("[{\"name\": \"b\", \"policy\": \"'A.member'\", \"endorsementPolicy\": {\"signaturePolicy\": \"x\", \"y\": 1}}]",
                "collection 1 ('b'): \"endorsementPolicy\" is {\"signaturePolicy\"");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> CollectionsConfig.parse(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
