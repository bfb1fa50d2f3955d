package io.charter.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A key made of an object type and attributes, e.g. {@code CompositeKey.of("asset", "Org1", "a1")}, so
 * that all keys sharing a prefix can be listed with {@link Context#rangeByPartialKey}.
 *
 * <p>Encoding: {@code U+0001 objectType U+0001 attribute1 U+0001 ... attributeN U+0001}. The separator
 * is U+0001 rather than Fabric's U+0000 because the peer keeps keys in PostgreSQL text, which cannot hold
 * U+0000. The leading separator keeps composite keys apart from simple keys (which should not start
 * with U+0001). The object type must not be empty; no part may contain U+0000, U+0001 or U+10FFFF (the
 * last bounds partial-key ranges).
 */
public record CompositeKey(String objectType, List<String> attributes) {

    public static final char SEPARATOR = '\u0001';
    /** The largest code point, as the exclusive end of a partial-key range. */
    static final String MAX = new String(Character.toChars(Character.MAX_CODE_POINT));

    public CompositeKey {
        Objects.requireNonNull(objectType, "objectType");
        attributes = List.copyOf(attributes);
        if (objectType.isEmpty()) {
            throw new ContractException("INVALID_KEY", "a composite key needs an object type");
        }
        check(objectType);
        attributes.forEach(CompositeKey::check);
    }

    public static CompositeKey of(String objectType, String... attributes) {
        return new CompositeKey(objectType, List.of(attributes));
    }

    /** The state key. */
    public String toKey() {
        StringBuilder key = new StringBuilder().append(SEPARATOR).append(objectType).append(SEPARATOR);
        for (String attribute : attributes) {
            key.append(attribute).append(SEPARATOR);
        }
        return key.toString();
    }

    /** Whether {@code key} is a composite key (starts with the separator). */
    public static boolean isComposite(String key) {
        return !key.isEmpty() && key.charAt(0) == SEPARATOR;
    }

    /**
     * Splits a composite key back into its parts.
     *
     * @throws ContractException {@code INVALID_KEY} when {@code key} is not a composite key
     */
    public static CompositeKey parse(String key) {
        if (!isComposite(key) || key.length() < 3 || key.charAt(key.length() - 1) != SEPARATOR) {
            throw new ContractException("INVALID_KEY", "not a composite key: '" + printable(key) + "'");
        }
        List<String> parts = new ArrayList<>();
        int start = 1;
        for (int i = 1; i < key.length(); i++) {
            if (key.charAt(i) == SEPARATOR) {
                parts.add(key.substring(start, i));
                start = i + 1;
            }
        }
        return new CompositeKey(parts.getFirst(), parts.subList(1, parts.size()));
    }

    private static void check(String part) {
        Objects.requireNonNull(part, "a composite key part");
        if (part.indexOf('\u0000') >= 0 || part.indexOf(SEPARATOR) >= 0 || part.contains(MAX)) {
            throw new ContractException("INVALID_KEY",
                    "a composite key part may not contain U+0000, U+0001 or U+10FFFF: '" + printable(part) + "'");
        }
    }

    static String printable(String s) {
        return s.replace("\u0000", "\\u0000").replace("\u0001", "\\u0001");
    }

    @Override
    public String toString() {
        return "CompositeKey[" + objectType + attributes + "]";
    }
}
