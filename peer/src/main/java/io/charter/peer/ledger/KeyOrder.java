package io.charter.peer.ledger;

import java.util.Comparator;

/**
 * The order of the world state's keys: by Unicode code point. It is the bytewise order of the keys' UTF-8
 * encoding, and so PostgreSQL's order for the key columns, which are {@code collate "C"}
 * ({@code V1__ledger.sql}): range scans ({@link Ledger#range}, {@link Ledger#rangeVersions}) return keys in this
 * order whatever the database's locale. Whatever compares keys with a scan's result (a range's bounds and
 * bookmarks in the simulator, the phantom-read replay at validation) must use this order, not
 * {@link String#compareTo}: that compares UTF-16 units and so puts U+E000..U+FFFF after every supplementary
 * character (U+10000 and above), where the ledger puts them before.
 */
public final class KeyOrder {

    /** Orders keys by code point (see the class). */
    public static final Comparator<String> COMPARATOR = KeyOrder::compare;

    /**
     * Compares two keys by code point: negative, zero or positive as {@code a} sorts before, with or after
     * {@code b}. Keys hold no lone surrogate (the simulator refuses one, and a read-write set carries its keys
     * in UTF-8); one would compare by its unit value.
     */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private KeyOrder() {}
}
