package io.charter.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of a {@link Contract} class as a function clients may invoke.
 *
 * <p><b>Calling convention.</b> The first parameter is the {@link Context}; each further parameter is
 * a {@code String} (the argument's bytes decoded as UTF-8) or a {@code byte[]} (the bytes as sent), and
 * the invocation must carry exactly that many arguments. The method returns {@code void} (empty
 * response payload), {@code String} (sent as UTF-8) or {@code byte[]}. A {@link ContractException}
 * fails the proposal with its code and message; any other exception fails it too, with the
 * exception's class and message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Transaction {

    /** The function name clients use; empty means the method's name. */
    String name() default "";

    /** Whether the function changes state. */
    Intent intent() default Intent.SUBMIT;

    enum Intent {
        /** May write: its results are meant to be ordered and committed. */
        SUBMIT,
        /** Reads only: a write fails the invocation with code {@code EVALUATE_WRITES}. */
        EVALUATE
    }
}
