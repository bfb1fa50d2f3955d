package io.charter.samples.assettransfer;

import io.charter.contract.ClientIdentity;
import io.charter.contract.CompositeKey;
import io.charter.contract.Context;
import io.charter.contract.Contract;
import io.charter.contract.ContractException;
import io.charter.contract.Json;
import io.charter.contract.KeyModification;
import io.charter.contract.KeyValue;
import io.charter.contract.Page;
import io.charter.contract.Query;
import io.charter.contract.Transaction;
import io.charter.contract.Transaction.Intent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample asset-transfer contract. Assets live under the composite key {@code asset, id}; their
 * owner is {@code enrollmentId@mspId}. Only the owner, or an admin of the owner's organization, may
 * update, transfer or delete an asset: that is what the caller identity is for.
 *
 * <p>Error codes: {@code ASSET_EXISTS}, {@code ASSET_NOT_FOUND}, {@code NOT_OWNER}, {@code BAD_ARGUMENT},
 * {@code TRANSIENT_MISSING}.
 * Events: {@code AssetCreated}, {@code AssetTransferred}, {@code AssetDeleted} with the asset's JSON.
 */
@Contract(name = "asset-transfer")
public final class AssetTransferContract {

    static final String ASSET = "asset";

    /** Creates an asset owned by {@code owner} (empty: the caller). Returns its JSON. */
    @Transaction
    public String CreateAsset(Context ctx, String id, String color, String size, String owner, String appraisedValue) {
        String key = key(id);
        if (ctx.exists(key)) {
            throw new ContractException("ASSET_EXISTS", "asset " + id + " already exists");
        }
        Asset asset = new Asset(id, color, number("size", size), owner.isEmpty() ? ctx.caller().qualifiedName() : owner,
                number("appraisedValue", appraisedValue));
        ctx.putString(key, asset.toJson());
        ctx.setEvent("AssetCreated", asset.toJson());
        return asset.toJson();
    }

    /**
     * As {@link #CreateAsset} (same arguments, same public write and event), and also keeps the transient entry
     * {@code appraisedValue} privately, under key {@code id}, in the caller's implicit collection
     * {@code _implicit_org_<mspId>}: only its hash goes into the transaction. Refused with
     * {@code TRANSIENT_MISSING} when the proposal carries no {@code appraisedValue}. Returns the asset's JSON.
     */
    @Transaction
    public String CreateAssetPrivately(Context ctx, String id, String color, String size, String owner,
                                       String appraisedValue) {
        byte[] privateValue = ctx.transientData().get("appraisedValue");
        if (privateValue == null) {
            throw new ContractException("TRANSIENT_MISSING", "CreateAssetPrivately needs the transient entry"
                    + " 'appraisedValue' (e.g. charter invoke ... --transient appraisedValue=120)");
        }
        String created = CreateAsset(ctx, id, color, size, owner, appraisedValue);
        ctx.putPrivate("_implicit_org_" + ctx.caller().mspId(), id, privateValue);
        return created;
    }

    @Transaction(intent = Intent.EVALUATE)
    public String ReadAsset(Context ctx, String id) {
        return read(ctx, id).toJson();
    }

    @Transaction(intent = Intent.EVALUATE)
    public String AssetExists(Context ctx, String id) {
        return Boolean.toString(ctx.exists(key(id)));
    }

    /** Changes color, size and appraised value; the owner stays (see TransferAsset). */
    @Transaction
    public String UpdateAsset(Context ctx, String id, String color, String size, String appraisedValue) {
        Asset asset = read(ctx, id);
        requireOwnerOrAdmin(ctx, asset);
        Asset updated = new Asset(id, color, number("size", size), asset.owner(), number("appraisedValue", appraisedValue));
        ctx.putString(key(id), updated.toJson());
        return updated.toJson();
    }

    /** Gives the asset to {@code newOwner} ({@code enrollmentId@mspId}); returns the previous owner. */
    @Transaction
    public String TransferAsset(Context ctx, String id, String newOwner) {
        if (newOwner.isBlank() || newOwner.indexOf('@') < 1) {
            throw new ContractException("BAD_ARGUMENT", "a new owner is enrollmentId@mspId, not '" + newOwner + "'");
        }
        Asset asset = read(ctx, id);
        requireOwnerOrAdmin(ctx, asset);
        Asset transferred = asset.withOwner(newOwner);
        ctx.putString(key(id), transferred.toJson());
        ctx.setEvent("AssetTransferred", transferred.toJson());
        return asset.owner();
    }

    @Transaction
    public void DeleteAsset(Context ctx, String id) {
        Asset asset = read(ctx, id);
        requireOwnerOrAdmin(ctx, asset);
        ctx.delete(key(id));
        ctx.setEvent("AssetDeleted", asset.toJson());
    }

    /**
     * The assets of {@code owner}, by a rich query: {@code {"assets":[...],"bookmark":"..."}} (no
     * bookmark on the last page).
     */
    @Transaction(intent = Intent.EVALUATE)
    public String QueryAssetsByOwner(Context ctx, String owner, String pageSize, String bookmark) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("owner", owner);
        return pageJson(ctx.query(Query.containing(Json.write(filter)), pageSize(pageSize), bookmark));
    }

    /** All assets in id order, by a range over the composite keys. */
    @Transaction(intent = Intent.EVALUATE)
    public String GetAllAssets(Context ctx, String pageSize, String bookmark) {
        return pageJson(ctx.rangeByPartialKey(CompositeKey.of(ASSET), pageSize(pageSize), bookmark));
    }

    /** Every committed change of the asset: {@code [{"txId","deleted","value"}]}. */
    @Transaction(intent = Intent.EVALUATE)
    public String GetAssetHistory(Context ctx, String id) {
        List<Object> changes = new ArrayList<>();
        for (KeyModification modification : ctx.history(key(id))) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("txId", modification.txId());
            change.put("deleted", modification.deleted());
            change.put("value", modification.deleted() ? null : Json.parse(modification.valueAsString()));
            changes.add(change);
        }
        return Json.write(changes);
    }

    private static Asset read(Context ctx, String id) {
        return ctx.getString(key(id)).map(Asset::fromJson)
                .orElseThrow(() -> new ContractException("ASSET_NOT_FOUND", "asset " + id + " does not exist"));
    }

    private static void requireOwnerOrAdmin(Context ctx, Asset asset) {
        ClientIdentity caller = ctx.caller();
        boolean owner = caller.qualifiedName().equals(asset.owner());
        boolean adminOfOwner = caller.isAdmin() && caller.mspId().equals(asset.ownerMspId());
        if (!owner && !adminOfOwner) {
            throw new ContractException("NOT_OWNER", caller.qualifiedName() + " does not own asset " + asset.id()
                    + " (owner " + asset.owner() + ") and is not an admin of " + asset.ownerMspId());
        }
    }

    private static String key(String id) {
        if (id.isEmpty()) {
            throw new ContractException("BAD_ARGUMENT", "an asset needs an id");
        }
        return CompositeKey.of(ASSET, id).toKey();
    }

    private static long number(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ContractException("BAD_ARGUMENT", name + " must be an integer, not '" + text + "'");
        }
    }

    private static int pageSize(String text) {
        long size = text.isEmpty() ? 100 : number("pageSize", text);
        if (size < 1 || size > Context.MAX_PAGE_SIZE) {
            throw new ContractException("BAD_ARGUMENT", "pageSize is 1 to " + Context.MAX_PAGE_SIZE);
        }
        return (int) size;
    }

    private static String pageJson(Page page) {
        List<Object> assets = new ArrayList<>();
        for (KeyValue entry : page.entries()) {
            assets.add(Json.parse(entry.valueAsString()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("assets", assets);
        page.bookmark().ifPresent(bookmark -> json.put("bookmark", bookmark));
        return Json.write(json);
    }
}
