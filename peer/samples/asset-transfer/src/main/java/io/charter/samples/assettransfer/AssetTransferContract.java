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
 *
 * <p>Private data, as Fabric's asset-transfer-private-data sample: CreateAssetWithPrivateDetails keeps the appraised
 * value in the collection {@code assetCollection} (collections_config.json), AgreeToTransfer keeps a buyer's agreed
 * value in the buyer's implicit collection, VerifyAgreement and TransferAssetWithPrivateDetails compare the two by
 * hash. Private values come from transient data only. More codes: {@code AGREEMENT_NOT_FOUND}, {@code
 * VALUE_MISMATCH}, {@code PRIVATE_READ_DENIED} (another organization's implicit collection), and the Context's
 * ({@code UNKNOWN_COLLECTION}, {@code PRIVATE_DATA_UNAVAILABLE}, ...).
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

    // ---- private data (docs/private-data.md, "Walkthrough on the local network") ----

    /** The declared collection of the sample (collections_config.json): members Org1MSP and Org2MSP. */
    static final String ASSET_COLLECTION = "assetCollection";
    /** Composite key type of a transfer agreement {@code {"id","buyer"}} in {@link #ASSET_COLLECTION}. */
    static final String AGREEMENT = "agreement";
    /** Transient input of CreateAssetWithPrivateDetails: {@code {"appraisedValue": n}}. */
    static final String ASSET_PROPERTIES = "asset_properties";
    /** Transient input of AgreeToTransfer: {@code {"appraisedValue": n}}, the value the buyer agrees to. */
    static final String ASSET_VALUE = "asset_value";
    private static final String IMPLICIT_PREFIX = "_implicit_org_";

    /**
     * Creates a public asset whose appraised value is private: the public asset says 0, the value (transient
     * {@code asset_properties}) goes to {@code assetCollection} as {@code {"id","appraisedValue"}}. Returns the
     * public asset's JSON.
     */
    @Transaction
    public String CreateAssetWithPrivateDetails(Context ctx, String id, String color, String size, String owner) {
        long appraisedValue = transientValue(ctx, ASSET_PROPERTIES);
        String key = key(id);
        if (ctx.exists(key)) {
            throw new ContractException("ASSET_EXISTS", "asset " + id + " already exists");
        }
        Asset asset = new Asset(id, color, number("size", size), owner.isEmpty() ? ctx.caller().qualifiedName() : owner, 0);
        ctx.putString(key, asset.toJson());
        ctx.putPrivateString(ASSET_COLLECTION, key, privateDetails(id, appraisedValue));
        ctx.setEvent("AssetCreated", asset.toJson());
        return asset.toJson();
    }

    /**
     * The private details {@code {"id","appraisedValue"}} of asset {@code id} in {@code collection}: the
     * appraised value in {@code assetCollection}, a buyer's agreed value in {@code _implicit_org_<buyer mspId>}.
     * Implicit collections do not restrict reads to their organization's clients (a peer of Org2MSP would answer
     * a client of Org1MSP), so the contract does: an implicit collection is read by its own organization's clients
     * only ({@code PRIVATE_READ_DENIED}).
     */
    @Transaction(intent = Intent.EVALUATE)
    public String ReadAssetPrivateDetails(Context ctx, String collection, String id) {
        if (collection.startsWith(IMPLICIT_PREFIX) && !collection.equals(implicitCollection(ctx.caller().mspId()))) {
            throw new ContractException("PRIVATE_READ_DENIED", ctx.caller().qualifiedName() + " reads the implicit"
                    + " collection of its own organization only, " + implicitCollection(ctx.caller().mspId()));
        }
        return ctx.getPrivateString(collection, key(id)).orElseThrow(() -> new ContractException("ASSET_NOT_FOUND",
                "asset " + id + " has no private details in " + collection));
    }

    /**
     * The caller agrees to buy asset {@code id} for the value in transient {@code asset_value}: the value goes to
     * the caller's implicit collection {@code _implicit_org_<mspId>} (only its own organization's peers hold it),
     * the agreement {@code {"id","buyer"}} to {@code assetCollection}. A later agreement replaces the earlier one.
     */
    @Transaction
    public void AgreeToTransfer(Context ctx, String id) {
        long agreedValue = transientValue(ctx, ASSET_VALUE);
        Asset asset = read(ctx, id);
        ClientIdentity buyer = ctx.caller();
        if (buyer.qualifiedName().equals(asset.owner())) {
            throw new ContractException("BAD_ARGUMENT", buyer.qualifiedName() + " already owns asset " + id);
        }
        ctx.putPrivateString(implicitCollection(buyer.mspId()), key(id), privateDetails(id, agreedValue));
        Map<String, Object> agreement = new LinkedHashMap<>();
        agreement.put("id", id);
        agreement.put("buyer", buyer.qualifiedName());
        ctx.putPrivateString(ASSET_COLLECTION, agreementKey(id), Json.write(agreement));
    }

    /**
     * Whether the value that organization {@code buyerMsp} agreed to for asset {@code id} equals the asset's
     * appraised value, compared by their hashes: the seller learns yes or no, not the buyer's value. Owner (or an
     * admin of the owner's organization) only.
     */
    @Transaction(intent = Intent.EVALUATE)
    public String VerifyAgreement(Context ctx, String id, String buyerMsp) {
        Asset asset = read(ctx, id);
        requireOwnerOrAdmin(ctx, asset);
        return Boolean.toString(agreedValueMatches(ctx, id, buyerMsp));
    }

    /**
     * Transfers asset {@code id} to the buyer of its agreement, who must be of organization {@code buyerMsp} and have
     * agreed to exactly the appraised value (hashes compared, as VerifyAgreement). Owner (or an admin of the owner's
     * organization) only. The agreement is removed; the appraised value stays in {@code assetCollection}. Returns the
     * previous owner.
     */
    @Transaction
    public String TransferAssetWithPrivateDetails(Context ctx, String id, String buyerMsp) {
        Asset asset = read(ctx, id);
        requireOwnerOrAdmin(ctx, asset);
        String buyer = ctx.getPrivateString(ASSET_COLLECTION, agreementKey(id))
                .map(text -> (String) Json.parseObject(text).get("buyer"))
                .orElseThrow(() -> new ContractException("AGREEMENT_NOT_FOUND", "nobody agreed to buy asset " + id));
        if (!buyer.endsWith("@" + buyerMsp)) {
            throw new ContractException("AGREEMENT_NOT_FOUND", "the agreement to buy asset " + id + " is by " + buyer
                    + ", not of " + buyerMsp);
        }
        if (!agreedValueMatches(ctx, id, buyerMsp)) {
            throw new ContractException("VALUE_MISMATCH", buyerMsp + " did not agree to the appraised value of asset " + id);
        }
        Asset transferred = asset.withOwner(buyer);
        ctx.putString(key(id), transferred.toJson());
        ctx.deletePrivate(ASSET_COLLECTION, agreementKey(id));
        ctx.setEvent("AssetTransferred", transferred.toJson());
        return asset.owner();
    }

    /**
     * Removes the private details of asset {@code id} from {@code assetCollection} (and a pending agreement); the
     * public asset and the hashes on the ledger stay. Owner (or an admin of the owner's organization) only.
     */
    @Transaction
    public void DeleteAssetPrivateDetails(Context ctx, String id) {
        Asset asset = read(ctx, id);
        requireOwnerOrAdmin(ctx, asset);
        if (ctx.getPrivate(ASSET_COLLECTION, key(id)).isEmpty()) {
            throw new ContractException("ASSET_NOT_FOUND", "asset " + id + " has no private details in " + ASSET_COLLECTION);
        }
        ctx.deletePrivate(ASSET_COLLECTION, key(id));
        ctx.deletePrivate(ASSET_COLLECTION, agreementKey(id));
    }

    static String implicitCollection(String mspId) {
        return IMPLICIT_PREFIX + mspId;
    }

    private static boolean agreedValueMatches(Context ctx, String id, String buyerMsp) {
        if (buyerMsp.isBlank()) {
            throw new ContractException("BAD_ARGUMENT", "a buyer is an organization's mspId, not '" + buyerMsp + "'");
        }
        byte[] appraised = ctx.getPrivateHash(ASSET_COLLECTION, key(id)).orElseThrow(() -> new ContractException(
                "ASSET_NOT_FOUND", "asset " + id + " has no private details in " + ASSET_COLLECTION));
        byte[] agreed = ctx.getPrivateHash(implicitCollection(buyerMsp), key(id)).orElseThrow(() -> new ContractException(
                "AGREEMENT_NOT_FOUND", buyerMsp + " did not agree to buy asset " + id));
        return java.security.MessageDigest.isEqual(appraised, agreed);
    }

    /** The private details as stored: the same bytes for the same id and value, wherever they are written. */
    private static String privateDetails(String id, long appraisedValue) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", id);
        details.put("appraisedValue", appraisedValue);
        return Json.write(details);
    }

    /** The non-negative integer {@code appraisedValue} of the JSON object in transient entry {@code name}. */
    private static long transientValue(Context ctx, String name) {
        byte[] raw = ctx.transientData().get(name);
        if (raw == null) {
            throw new ContractException("BAD_ARGUMENT", "the private value comes in transient data '" + name
                    + "' ({\"appraisedValue\": n}), which is missing");
        }
        Object value;
        try {
            value = Json.parseObject(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).get("appraisedValue");
        } catch (ContractException notJson) {
            throw new ContractException("BAD_ARGUMENT", "transient '" + name + "' must be a JSON object {\"appraisedValue\": n}");
        }
        if (!(value instanceof Long appraised) || appraised < 0) {
            throw new ContractException("BAD_ARGUMENT", "transient '" + name + "' needs appraisedValue, a non-negative integer");
        }
        return appraised;
    }

    private static String agreementKey(String id) {
        if (id.isEmpty()) {
            throw new ContractException("BAD_ARGUMENT", "an asset needs an id");
        }
        return CompositeKey.of(AGREEMENT, id).toKey();
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
