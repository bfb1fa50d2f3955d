package io.charter.samples.assettransfer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.charter.contract.ContractException;
import io.charter.contract.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssetTransferContractTest {

    private final AssetTransferContract contract = new AssetTransferContract();
    private final MemoryContext ctx = new MemoryContext();

    private static String code(Runnable action) {
        try {
            action.run();
        } catch (ContractException e) {
            return e.code();
        }
        throw new AssertionError("no ContractException");
    }

    @Test
    void createReadUpdateTransferDelete() {
        String created = contract.CreateAsset(ctx.as("Org1", "client", "alice"), "a1", "blue", "5", "", "300");
        assertThat(Json.parseObject(created)).containsEntry("owner", "alice@Org1").containsEntry("size", 5L);
        assertThat(ctx.events).extracting(Map.Entry::getKey).containsExactly("AssetCreated");
        assertThat(code(() -> contract.CreateAsset(ctx, "a1", "red", "1", "", "1"))).isEqualTo("ASSET_EXISTS");

        assertThat(Asset.fromJson(contract.ReadAsset(ctx, "a1"))).isEqualTo(new Asset("a1", "blue", 5, "alice@Org1", 300));
        contract.UpdateAsset(ctx, "a1", "green", "6", "350");
        assertThat(Asset.fromJson(contract.ReadAsset(ctx, "a1")).color()).isEqualTo("green");

        assertThat(contract.TransferAsset(ctx, "a1", "bob@Org2")).isEqualTo("alice@Org1");
        assertThat(Asset.fromJson(contract.ReadAsset(ctx, "a1")).owner()).isEqualTo("bob@Org2");
        // alice no longer owns it; an admin of Org1 is not an admin of the owner's organization
        assertThat(code(() -> contract.TransferAsset(ctx.as("Org1", "client", "alice"), "a1", "alice@Org1"))).isEqualTo("NOT_OWNER");
        assertThat(code(() -> contract.DeleteAsset(ctx.as("Org1", "admin", "admin1"), "a1"))).isEqualTo("NOT_OWNER");
        // Org2's admin may act for bob
        contract.TransferAsset(ctx.as("Org2", "admin", "admin2"), "a1", "carol@Org2");
        contract.DeleteAsset(ctx.as("Org2", "client", "carol"), "a1");
        assertThat(contract.AssetExists(ctx, "a1")).isEqualTo("false");
        assertThat(code(() -> contract.ReadAsset(ctx, "a1"))).isEqualTo("ASSET_NOT_FOUND");
        assertThat(Json.parse(contract.GetAssetHistory(ctx, "a1"))).asList().hasSize(5);
    }

    @Test
    void queriesByOwnerAndListsAllWithPages() {
        for (int i = 0; i < 5; i++) {
            contract.CreateAsset(ctx.as("Org1", "client", "alice"), "a" + i, "blue", "1", i % 2 == 0 ? "" : "bob@Org2", "10");
        }
        Map<String, Object> alice = Json.parseObject(contract.QueryAssetsByOwner(ctx, "alice@Org1", "2", ""));
        assertThat((List<?>) alice.get("assets")).hasSize(2);
        Map<String, Object> rest = Json.parseObject(contract.QueryAssetsByOwner(ctx, "alice@Org1", "2", (String) alice.get("bookmark")));
        assertThat((List<?>) rest.get("assets")).hasSize(1);
        assertThat(rest).doesNotContainKey("bookmark");
        assertThat((List<?>) Json.parseObject(contract.GetAllAssets(ctx, "", "")).get("assets")).hasSize(5);
    }

    @Test
    void refusesBadArguments() {
        ctx.as("Org1", "client", "alice");
        assertThat(code(() -> contract.CreateAsset(ctx, "a1", "blue", "five", "", "1"))).isEqualTo("BAD_ARGUMENT");
        assertThat(code(() -> contract.CreateAsset(ctx, "", "blue", "5", "", "1"))).isEqualTo("BAD_ARGUMENT");
        contract.CreateAsset(ctx, "a1", "blue", "5", "", "1");
        assertThat(code(() -> contract.TransferAsset(ctx, "a1", "nobody"))).isEqualTo("BAD_ARGUMENT");
        assertThatThrownBy(() -> contract.GetAllAssets(ctx, "0", "")).isInstanceOf(ContractException.class);
    }

    @Test
    void createAssetPrivatelyWritesTheAssetPubliclyAndTheTransientAppraisedValueToTheCallersImplicitCollection() {
        ctx.as("Org1MSP", "client", "alice").withTransient(Map.of("appraisedValue", "v-secret-120".getBytes(UTF_8)));
        String created = contract.CreateAssetPrivately(ctx, "p1", "blue", "5", "", "300");

        // the public write is CreateAsset's: same JSON, same key, same event
        assertThat(Asset.fromJson(created)).isEqualTo(new Asset("p1", "blue", 5, "alice@Org1MSP", 300));
        assertThat(Asset.fromJson(contract.ReadAsset(ctx, "p1"))).isEqualTo(Asset.fromJson(created));
        assertThat(ctx.events).extracting(Map.Entry::getKey).containsExactly("AssetCreated");
        // one private value, in the caller's implicit collection only, under the asset's id
        assertThat(ctx.collections).containsOnlyKeys("_implicit_org_Org1MSP");
        assertThat(ctx.collections.get("_implicit_org_Org1MSP")).containsOnlyKeys("p1");
        assertThat(ctx.getPrivateString("_implicit_org_Org1MSP", "p1")).contains("v-secret-120");
        // the private value is not in the public state
        assertThat(ctx.state.values()).noneMatch(value -> new String(value, UTF_8).contains("v-secret-120"));

        // another organization's caller writes into its own implicit collection
        ctx.as("Org2MSP", "client", "bob").withTransient(Map.of("appraisedValue", "v-bob".getBytes(UTF_8)));
        contract.CreateAssetPrivately(ctx, "p2", "red", "1", "", "1");
        assertThat(ctx.getPrivateString("_implicit_org_Org2MSP", "p2")).contains("v-bob");
        assertThat(ctx.getPrivate("_implicit_org_Org1MSP", "p2")).isEmpty();
    }

    @Test
    void createAssetPrivatelyRefusesWithoutTheTransientAppraisedValueAndWritesNothing() {
        ctx.as("Org1MSP", "client", "alice").withTransient(Map.of("other", "x".getBytes(UTF_8)));
        assertThatThrownBy(() -> contract.CreateAssetPrivately(ctx, "p1", "blue", "5", "", "300"))
                .isInstanceOfSatisfying(ContractException.class, e -> {
                    assertThat(e.code()).isEqualTo("TRANSIENT_MISSING");
                    assertThat(e.getMessage()).contains("appraisedValue");
                });
        assertThat(ctx.state).isEmpty();
        assertThat(ctx.collections).isEmpty();
        assertThat(ctx.events).isEmpty();

        // CreateAsset's own checks still apply, before any private write
        ctx.withTransient(Map.of("appraisedValue", "v".getBytes(UTF_8)));
        contract.CreateAssetPrivately(ctx, "p1", "blue", "5", "", "300");
        assertThat(code(() -> contract.CreateAssetPrivately(ctx, "p1", "red", "1", "", "1"))).isEqualTo("ASSET_EXISTS");
        assertThat(code(() -> contract.CreateAssetPrivately(ctx, "p2", "red", "one", "", "1"))).isEqualTo("BAD_ARGUMENT");
        assertThat(ctx.collections.get("_implicit_org_Org1MSP")).containsOnlyKeys("p1");
        assertThat(ctx.getPrivateString("_implicit_org_Org1MSP", "p1")).contains("v");
    }
}
