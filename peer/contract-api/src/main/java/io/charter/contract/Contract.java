package io.charter.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one class of a contract jar that the peer runs. The class must be public, have a public
 * no-argument constructor, and declare its functions with {@link Transaction}. The peer creates a new
 * instance for every invocation, so fields do not carry state from one transaction to the next: all
 * state goes through the {@link Context}.
 *
 * <pre>{@code
 * @Contract(name = "assets")
 * public final class AssetContract {
 *     @Transaction
 *     public void create(Context ctx, String id, String json) { ... }
 *
 *     @Transaction(intent = Transaction.Intent.EVALUATE)
 *     public String read(Context ctx, String id) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Contract {

    /**
     * The contract's name: its namespace in the world state and the name a channel defines it under.
     * Letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit, at most 64
     * characters (names starting with {@code _} are reserved for the peer, e.g. {@code _lifecycle}).
     */
    String name();
}
