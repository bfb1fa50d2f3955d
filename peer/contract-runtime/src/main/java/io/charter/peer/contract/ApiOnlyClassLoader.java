package io.charter.peer.contract;

import io.charter.contract.Context;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of every contract's class loader: it finds the JDK's classes (through the platform class
 * loader) and the contract API ({@code io.charter.contract.*}, from the peer's own loader so that the
 * peer and the contract share the same {@code Context} type) and nothing else. A contract therefore
 * cannot link against the peer's classes (ledger, crypto, protobuf, ...) nor against its libraries: a
 * reference to one fails with {@code NoClassDefFoundError} / {@code ClassNotFoundException}.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    static final String API_PACKAGE = "io.charter.contract.";
    static final ApiOnlyClassLoader INSTANCE = new ApiOnlyClassLoader();

    private static final ClassLoader PEER = Context.class.getClassLoader();

    static {
        registerAsParallelCapable();
    }

    private ApiOnlyClassLoader() {
        super("charter-contract-api", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE) && name.indexOf('.', API_PACKAGE.length()) < 0) {
            return PEER.loadClass(name);
        }
        throw new ClassNotFoundException(name + " (a contract sees only the JDK and " + API_PACKAGE + "*)");
    }

    @Override
    protected URL findResource(String name) {
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        return Collections.emptyEnumeration();
    }
}
