package io.charter.orderer.blockstore;

import java.io.IOException;

/** The store is damaged where recovery may not simply drop a torn tail (a sealed segment, a gap). */
public final class CorruptBlockStoreException extends IOException {

    public CorruptBlockStoreException(String message) {
        super(message);
    }
}
