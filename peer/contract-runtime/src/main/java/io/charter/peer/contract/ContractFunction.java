package io.charter.peer.contract;

import io.charter.contract.Transaction;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

/**
 * A {@code @Transaction} method of a contract.
 *
 * @param parameters the kinds of the parameters after the Context
 */
public record ContractFunction(String name, Transaction.Intent intent, Method method, List<Parameter> parameters,
                               Result result) {

    public ContractFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(method, "method");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(result, "result");
    }

    public enum Parameter { STRING, BYTES }

    public enum Result { VOID, STRING, BYTES }
}
