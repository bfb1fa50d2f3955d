package io.charter.samples.assettransfer;

import io.charter.contract.ContractException;
import io.charter.contract.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An asset as stored: one JSON object {@code {"id","color","size","owner","appraisedValue"}}, written
 * with its fields always in that order so every peer writes the same bytes.
 *
 * @param owner {@code enrollmentId@mspId} of the identity that owns it
 */
public record Asset(String id, String color, long size, String owner, long appraisedValue) {

    public Asset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(owner, "owner");
    }

    public String ownerMspId() {
        int at = owner.lastIndexOf('@');
        return at < 0 ? "" : owner.substring(at + 1);
    }

    public Asset withOwner(String newOwner) {
        return new Asset(id, color, size, newOwner, appraisedValue);
    }

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("color", color);
        json.put("size", size);
        json.put("owner", owner);
        json.put("appraisedValue", appraisedValue);
        return Json.write(json);
    }

    public static Asset fromJson(String text) {
        Map<String, Object> json = Json.parseObject(text);
        try {
            return new Asset((String) json.get("id"), (String) json.get("color"), ((Number) json.get("size")).longValue(),
                    (String) json.get("owner"), ((Number) json.get("appraisedValue")).longValue());
        } catch (RuntimeException e) {
            throw new ContractException("CORRUPT_ASSET", "not an asset: " + text);
        }
    }
}
