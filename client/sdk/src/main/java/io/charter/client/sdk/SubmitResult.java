package io.charter.client.sdk;

/**
 * A transaction committed as valid.
 *
 * @param txId the id of the transaction that committed (after MVCC retries, the last one's)
 * @param blockNumber the block holding it
 * @param txNumber its index in the block
 * @param attempts how many transactions were submitted: 1, plus one per MVCC retry
 */
public record SubmitResult(String txId, long blockNumber, int txNumber, byte[] result, int attempts) {

    /** What the contract function returned, as UTF-8 text. */
    public String resultText() {
        return new String(result, java.nio.charset.StandardCharsets.UTF_8);
    }
}
