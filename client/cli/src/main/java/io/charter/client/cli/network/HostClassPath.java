package io.charter.client.cli.network;

import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The class path of the local network's host process (module {@code client/localnet}), which `charter up` starts.
 * The CLI itself runs without the nodes' classes: the launcher hands it the host's class path in the system
 * property {@value #PROPERTY}. Where that is not set (the local network module's own tests, which run the CLI in
 * the same JVM as everything else) the host gets this JVM's class path.
 *
 * <p>The membership service runs in the host in a class loader of its own ({@code MembershipServiceInstance}), so
 * the host's JVM is started without the service's classes, which it gets as a separate list.
 */
public final class HostClassPath {

    /** The system property that carries the host's class path, entries separated by {@link File#pathSeparator}. */
    public static final String PROPERTY = "charter.network.classpath";
    /** The host's main class; named, not referenced, so that the CLI does not load it. */
    public static final String MAIN_CLASS = "io.charter.client.network.NetworkHost";

    private static final String SEPARATOR = Pattern.quote(File.separator);
    private static final Pattern MEMBERSHIP = Pattern.compile(".*(charter-membership-service[^" + SEPARATOR
            + "]*\\.jar|membership-service" + SEPARATOR + "target" + SEPARATOR + "classes)$");

    private HostClassPath() {}

    /** The host's class path: {@value #PROPERTY} when set, else this JVM's (surefire's own when in a test). */
    public static List<String> entries() {
        String path = Optional.ofNullable(System.getProperty(PROPERTY)).filter(p -> !p.isBlank())
                .orElseGet(() -> System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        return List.of(path.split(Pattern.quote(File.pathSeparator)));
    }

    /** Whether a class path entry holds the membership service's classes. */
    public static boolean isMembershipService(String entry) {
        return MEMBERSHIP.matcher(entry).matches();
    }

    /** {@code entries} without the membership service's classes: the host JVM's own class path. */
    public static List<String> withoutMembershipService(List<String> entries) {
        return entries.stream().filter(e -> !isMembershipService(e)).toList();
    }
}
