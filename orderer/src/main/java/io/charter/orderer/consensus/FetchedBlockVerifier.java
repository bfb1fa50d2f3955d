package io.charter.orderer.consensus;

import io.charter.protocol.Block;
import java.util.Optional;

/**
 * Checks a block fetched from another member while catching up, after the chain checks (number,
 * previous hash, data hash) passed and before it is appended: what only the channel configuration can
 * tell, under the configuration in force at the block (that of the blocks appended so far, a fetched
 * config block changing it for the blocks after it once appended).
 */
@FunctionalInterface
public interface FetchedBlockVerifier {

    /** Empty when {@code block} may be appended, else why not. */
    Optional<FetchedBlockRefusal> refusal(Block block);
}
