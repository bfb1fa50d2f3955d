package io.charter.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.contract.ContractException;
import io.charter.contract.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The private-data functions of the sample, on the in-memory context (any collection exists, everyone is a member). */
class AssetTransferPrivateDataTest {

    private static final String ORG2_IMPLICIT = "_implicit_org_Org2MSP";

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

    private MemoryContext as(String mspId, String role, String enrollmentId, String transientName, String transientValue) {
        ctx.as(mspId, role, enrollmentId);
        ctx.transientData.clear();
        if (transientName != null) {
            ctx.transientData.put(transientName, transientValue.getBytes(StandardCharsets.UTF_8));
        }
        return ctx;
    }

    @BeforeEach
    void createAsset() {
        String created = contract.CreateAssetWithPrivateDetails(
                as("Org1MSP", "client", "alice", "asset_properties", "{\"appraisedValue\": 500}"), "a1", "blue", "5", "");
        assertThat(Asset.fromJson(created)).isEqualTo(new Asset("a1", "blue", 5, "alice@Org1MSP", 0));
    }

    @Test
    void createKeepsTheAppraisedValueInTheCollectionOnly() {
        assertThat(Asset.fromJson(contract.ReadAsset(ctx, "a1")).appraisedValue()).isZero();
        assertThat(Json.parseObject(contract.ReadAssetPrivateDetails(ctx, "assetCollection", "a1")))
                .containsEntry("id", "a1").containsEntry("appraisedValue", 500L);
        assertThat(ctx.state.values()).noneMatch(value -> new String(value, StandardCharsets.UTF_8).contains("500"));
        assertThat(ctx.events).extracting(e -> e.getValue()).noneMatch(payload -> payload.contains("500"));
        assertThat(code(() -> contract.ReadAssetPrivateDetails(ctx, "assetCollection", "a2"))).isEqualTo("ASSET_NOT_FOUND");
        assertThat(code(() -> contract.CreateAssetWithPrivateDetails(
                as("Org1MSP", "client", "alice", "asset_properties", "{\"appraisedValue\": 1}"), "a1", "red", "1", "")))
                .isEqualTo("ASSET_EXISTS");
    }

    @Test
    void agreeVerifyAndTransfer() {
        contract.AgreeToTransfer(as("Org2MSP", "client", "bob", "asset_value", "{\"appraisedValue\": 400}"), "a1");
        assertThat(Json.parseObject(contract.ReadAssetPrivateDetails(ctx, ORG2_IMPLICIT, "a1")))
                .containsEntry("appraisedValue", 400L);
        // the seller's organization does not read the buyer's implicit collection, even through a peer that holds it
        assertThat(code(() -> contract.ReadAssetPrivateDetails(as("Org1MSP", "client", "alice", null, null), ORG2_IMPLICIT, "a1")))
                .isEqualTo("PRIVATE_READ_DENIED");

        // the seller compares hashes: no match at 400, and cannot transfer
        as("Org1MSP", "client", "alice", null, null);
        assertThat(contract.VerifyAgreement(ctx, "a1", "Org2MSP")).isEqualTo("false");
        assertThat(code(() -> contract.TransferAssetWithPrivateDetails(ctx, "a1", "Org2MSP"))).isEqualTo("VALUE_MISMATCH");
        // only the owner's side may verify; an organization that agreed to nothing has no agreement
        assertThat(code(() -> contract.VerifyAgreement(as("Org2MSP", "client", "bob", null, null), "a1", "Org2MSP")))
                .isEqualTo("NOT_OWNER");
        assertThat(code(() -> contract.VerifyAgreement(as("Org1MSP", "client", "alice", null, null), "a1", "Org3MSP")))
                .isEqualTo("AGREEMENT_NOT_FOUND");
        assertThat(code(() -> contract.TransferAssetWithPrivateDetails(ctx, "a1", "Org3MSP")))
                .isEqualTo("AGREEMENT_NOT_FOUND");

        // bob agrees to the appraised value: now the hashes match
        contract.AgreeToTransfer(as("Org2MSP", "client", "bob", "asset_value", "{\"appraisedValue\":500}"), "a1");
        as("Org1MSP", "client", "alice", null, null);
        assertThat(contract.VerifyAgreement(ctx, "a1", "Org2MSP")).isEqualTo("true");
        assertThat(contract.TransferAssetWithPrivateDetails(ctx, "a1", "Org2MSP")).isEqualTo("alice@Org1MSP");
        assertThat(Asset.fromJson(contract.ReadAsset(ctx, "a1")).owner()).isEqualTo("bob@Org2MSP");
        assertThat(ctx.events).extracting(e -> e.getKey()).containsExactly("AssetCreated", "AssetTransferred");
        // the agreement is used up; alice is no longer the owner
        assertThat(code(() -> contract.TransferAssetWithPrivateDetails(as("Org2MSP", "client", "bob", null, null), "a1", "Org2MSP")))
                .isEqualTo("AGREEMENT_NOT_FOUND");
        assertThat(code(() -> contract.VerifyAgreement(as("Org1MSP", "client", "alice", null, null), "a1", "Org2MSP")))
                .isEqualTo("NOT_OWNER");
    }

    @Test
    void deletesThePrivateDetailsOnly() {
        contract.AgreeToTransfer(as("Org2MSP", "client", "bob", "asset_value", "{\"appraisedValue\": 500}"), "a1");
        assertThat(code(() -> contract.DeleteAssetPrivateDetails(ctx, "a1"))).isEqualTo("NOT_OWNER");
        contract.DeleteAssetPrivateDetails(as("Org1MSP", "admin", "admin1", null, null), "a1");
        assertThat(code(() -> contract.ReadAssetPrivateDetails(ctx, "assetCollection", "a1"))).isEqualTo("ASSET_NOT_FOUND");
        assertThat(contract.AssetExists(ctx, "a1")).isEqualTo("true");
        assertThat(code(() -> contract.TransferAssetWithPrivateDetails(ctx, "a1", "Org2MSP"))).isEqualTo("AGREEMENT_NOT_FOUND");
        assertThat(code(() -> contract.DeleteAssetPrivateDetails(ctx, "a1"))).isEqualTo("ASSET_NOT_FOUND");
    }

    @Test
    void takesPrivateValuesFromTransientDataOnly() {
        assertThat(code(() -> contract.CreateAssetWithPrivateDetails(as("Org1MSP", "client", "alice", null, null), "a2", "red", "1", "")))
                .isEqualTo("BAD_ARGUMENT");
        for (String bad : new String[] {"500", "{\"value\": 500}", "{\"appraisedValue\": \"500\"}", "{\"appraisedValue\": -1}",
                "{\"appraisedValue\": 1.5}", "not json"}) {
            assertThat(code(() -> contract.CreateAssetWithPrivateDetails(
                    as("Org1MSP", "client", "alice", "asset_properties", bad), "a2", "red", "1", ""))).as(bad).isEqualTo("BAD_ARGUMENT");
            assertThat(code(() -> contract.AgreeToTransfer(as("Org2MSP", "client", "bob", "asset_value", bad), "a1")))
                    .as(bad).isEqualTo("BAD_ARGUMENT");
        }
        assertThat(contract.AssetExists(ctx, "a2")).isEqualTo("false");
        // the owner does not agree to buy its own asset; nobody agrees to buy an asset that does not exist
        assertThat(code(() -> contract.AgreeToTransfer(as("Org1MSP", "client", "alice", "asset_value", "{\"appraisedValue\": 1}"), "a1")))
                .isEqualTo("BAD_ARGUMENT");
        assertThat(code(() -> contract.AgreeToTransfer(as("Org2MSP", "client", "bob", "asset_value", "{\"appraisedValue\": 1}"), "nope")))
                .isEqualTo("ASSET_NOT_FOUND");
        assertThat(code(() -> contract.VerifyAgreement(as("Org1MSP", "client", "alice", null, null), "a1", ""))).isEqualTo("BAD_ARGUMENT");
        assertThat(ctx.collections.getOrDefault(ORG2_IMPLICIT, new java.util.TreeMap<>())).isEmpty();
    }
}
