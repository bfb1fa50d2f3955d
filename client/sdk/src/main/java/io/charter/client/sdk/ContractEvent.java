package io.charter.client.sdk;

/**
 * An event a contract emitted in a transaction committed as valid.
 *
 * @param blockNumber the block that committed the transaction
 * @param txId the transaction that emitted it
 * @param contractName the contract that emitted it
 * @param eventName the name the contract gave the event
 */
public record ContractEvent(long blockNumber, String txId, String contractName, String eventName, byte[] payload) {

    public String payloadText() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }
}
