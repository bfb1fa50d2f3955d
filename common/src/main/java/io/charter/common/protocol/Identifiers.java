package io.charter.common.protocol;

import java.util.regex.Pattern;

/**
 * The shapes of the identifiers that cross the wire, checked by every node before it looks anything
 * up, waits on it, or quotes it back: an identifier of unbounded length would otherwise cost memory
 * for as long as a call waits on it, and bytes in every refusal that quotes it.
 */
public final class Identifiers {

    /** A transaction id: SHA-256(nonce ‖ creator) in lower-case hex ({@link TransactionIds#compute}). */
    public static final int TX_ID_LENGTH = 64;
    /** Channel ids as Fabric's: lower-case letters, digits, dots and dashes, starting with a letter or digit. */
    public static final int MAX_CHANNEL_ID_LENGTH = 249;
    /** Node ids, contract names and other names. */
    public static final int MAX_NAME_LENGTH = 255;
    /** How much of a refused identifier a message quotes. */
    private static final int QUOTED = 80;

    private static final Pattern TX_ID = Pattern.compile("[0-9a-f]{" + TX_ID_LENGTH + "}");
    private static final Pattern CHANNEL_ID = Pattern.compile("[a-z0-9][a-z0-9.\\-]{0," + (MAX_CHANNEL_ID_LENGTH - 1) + "}");

    private Identifiers() {}

    public static boolean isTxId(String text) {
        return text.length() == TX_ID_LENGTH && TX_ID.matcher(text).matches();
    }

    public static boolean isChannelId(String text) {
        return text.length() <= MAX_CHANNEL_ID_LENGTH && CHANNEL_ID.matcher(text).matches();
    }

    public static boolean isName(String text) {
        return !text.isEmpty() && text.length() <= MAX_NAME_LENGTH;
    }

    /** {@code text} quoted for a message, cut to a readable length. */
    public static String quote(String text) {
        return "'" + (text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "...' (" + text.length() + " characters)")
                + (text.length() <= QUOTED ? "'" : "");
    }
}
