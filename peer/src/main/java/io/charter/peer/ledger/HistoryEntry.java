package io.charter.peer.ledger;

/**
 * One write of a key by a valid transaction.
 *
 * @param value the value written; null when {@code deleted}
 */
public record HistoryEntry(String namespace, String key, KeyVersion version, String txId, boolean deleted,
                           byte[] value) {}
