package io.charter.common.lifecycle;

import java.util.Objects;

/**
 * What is wrong with a contract definition: a stable {@link Code} (what the endorser's refusal, the CLI and the
 * tests name) and a message for people. See {@link DefinitionRules}.
 */
public record DefinitionProblem(Code code, String message) {

    /** The kinds of ill-formed definitions, each refused with its own code. */
    public enum Code {
        /** The contract's name is not a contract name. */
        INVALID_NAME,
        /** The version is empty or longer than 64 characters. */
        INVALID_VERSION,
        /** The sequence is 0. */
        INVALID_SEQUENCE,
        /** The contract's endorsement policy does not parse. */
        ENDORSEMENT_POLICY_UNPARSABLE,
        /** The package id is not {@code <name>:<sha-256 hex>}. */
        INVALID_PACKAGE_ID,
        /** {@code approved_by} is set by a proposer; only the peers write it. */
        APPROVED_BY_NOT_EMPTY,
        /** More collections than {@link DefinitionRules#MAX_COLLECTIONS}. */
        TOO_MANY_COLLECTIONS,
        /** A collection's name is not a collection name. */
        COLLECTION_INVALID_NAME,
        /** A collection's name starts with '_', reserved for the implicit per-organization collections. */
        COLLECTION_NAME_RESERVED,
        /** Two collections of the definition have the same name. */
        COLLECTION_DUPLICATE_NAME,
        /** A collection's member policy does not parse. */
        COLLECTION_POLICY_UNPARSABLE,
        /** A collection's member policy parses but is not an OR of principals. */
        COLLECTION_POLICY_NOT_MEMBERSHIP,
        /** A collection's member policy names an organization that is not an application organization of the channel. */
        COLLECTION_UNKNOWN_ORGANIZATION,
        /** A collection's requiredPeerCount or maxPeerCount is negative. */
        COLLECTION_NEGATIVE_COUNT,
        /** A collection's requiredPeerCount is above its maxPeerCount. */
        COLLECTION_REQUIRED_ABOVE_MAX,
        /** A collection's blockToLive is negative. */
        COLLECTION_NEGATIVE_BLOCK_TO_LIVE,
        /** A collection's endorsement policy does not parse. */
        COLLECTION_ENDORSEMENT_POLICY_UNPARSABLE,
        /** A new definition drops a collection of the committed one. */
        COLLECTION_REMOVED,
        /** A new definition changes the blockToLive of a collection of the committed one. */
        COLLECTION_BLOCK_TO_LIVE_CHANGED
    }

    public DefinitionProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
