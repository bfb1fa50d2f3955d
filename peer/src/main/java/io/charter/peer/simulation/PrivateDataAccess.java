package io.charter.peer.simulation;

import io.charter.peer.privatedata.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a simulation needs for private data: the collections of the contract being simulated (by name, declared
 * or implicit) and the organization of the simulating peer (only members hold values).
 */
public record PrivateDataAccess(Function<String, Optional<Collection>> collections, String peerMspId) {

    /** No collection at all (the lifecycle, contracts of tests without private data). */
    public static final PrivateDataAccess NONE = new PrivateDataAccess(name -> Optional.empty(), "");

    public PrivateDataAccess {
        Objects.requireNonNull(collections, "collections");
        Objects.requireNonNull(peerMspId, "peerMspId");
    }
}
