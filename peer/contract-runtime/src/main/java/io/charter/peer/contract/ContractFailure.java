package io.charter.peer.contract;

/** Why an invocation failed. The names are stable: clients receive them in the proposal response. */
public enum ContractFailure {
    /** The contract has no {@code @Transaction} function of that name. */
    UNKNOWN_FUNCTION,
    /** Wrong number of arguments, or a String argument that is not UTF-8. */
    BAD_ARGUMENTS,
    /** The function threw: a ContractException (its code kept) or anything else. */
    CONTRACT_ERROR,
    /** The function ran past the invocation time limit; its thread was interrupted. */
    CONTRACT_TIMEOUT,
    /** The contract's threads are busy or held by runaway invocations; try later. */
    CONTRACT_UNAVAILABLE
}
