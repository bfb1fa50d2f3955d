package io.charter.client.network;

import io.charter.client.cli.network.HostClassPath;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The membership service's Spring Boot application running inside this JVM, in a class loader of its own.
 *
 * <p>Why a class loader of its own: the service and the peer both migrate their schemas with Flyway from
 * {@code classpath:db/migration}, so with both on one class path each would find the other's
 * {@code V1__...sql} and refuse to start; and the orderer's {@code application.yaml} must not shadow the
 * service's. The service's loader sees the class path without the peer's and the orderer's classes, the
 * service's own first; the network host's own class path is started without the service's (see
 * {@link HostClassPath#withoutMembershipService}). Nothing of the service's types crosses the boundary: the root
 * certificate is a JDK type and the context is closed as a {@link Closeable}.
 */
public final class MembershipServiceInstance implements AutoCloseable {

    /** The other nodes' classes: the peer's (its own db/migration) and the orderer's (its own application.yaml). */
    private static final Pattern OTHER_NODES = Pattern.compile(".*(charter-(peer|orderer)-[0-9][^"
            + Pattern.quote(File.separator) + "]*\\.jar|" + Pattern.quote(File.separator) + "(peer|orderer)"
            + Pattern.quote(File.separator) + "target" + Pattern.quote(File.separator) + "(test-)?classes)$");

    private final Closeable context;
    private final X509Certificate root;
    private final int port;
    private final URLClassLoader loader;

    private MembershipServiceInstance(Closeable context, X509Certificate root, int port, URLClassLoader loader) {
        this.context = context;
        this.root = root;
        this.port = port;
        this.loader = loader;
    }

    /**
     * Starts the service with {@code properties} (Spring's {@code --key=value} arguments) from
     * {@code classPath}, which must hold the service's classes; the peer's are left out.
     */
    public static MembershipServiceInstance start(List<String> classPath, Map<String, String> properties) {
        // the service's own classes first: its application.yaml is the one Spring Boot must find
        List<String> ordered = new ArrayList<>(classPath.stream().filter(e -> HostClassPath.isMembershipService(e)).toList());
        ordered.addAll(classPath.stream().filter(e -> !HostClassPath.isMembershipService(e)).toList());
        List<URL> urls = new ArrayList<>();
        for (String entry : ordered) {
            if (!OTHER_NODES.matcher(entry).matches() && !entry.isBlank()) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("not a class path entry: " + entry, e);
                }
            }
        }
        if (classPath.stream().noneMatch(e -> HostClassPath.isMembershipService(e))) {
            throw new IllegalStateException("the membership service's classes are not on the class path " + classPath);
        }
        URLClassLoader loader = new URLClassLoader("membership-service", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            // JDBC's DriverManager hands a caller only drivers of its own class loader: register this loader's
            // PostgreSQL driver (the one of the JVM's class path is another class)
            Class.forName("org.postgresql.Driver", true, loader);
            Class<?> application = loader.loadClass("io.charter.membership.app.MembershipServiceApplication");
            Class<?> spring = loader.loadClass("org.springframework.boot.SpringApplication");
            Object context = spring.getMethod("run", Class.class, String[].class).invoke(null, application, args);
            Class<?> coreType = loader.loadClass("io.charter.membership.MembershipCore");
            Class<?> beanFactory = loader.loadClass("org.springframework.beans.factory.BeanFactory");
            Object core = beanFactory.getMethod("getBean", Class.class).invoke(context, coreType);
            X509Certificate root = (X509Certificate) coreType.getMethod("rootCertificate").invoke(core);
            Class<?> environmentCapable = loader.loadClass("org.springframework.core.env.EnvironmentCapable");
            Object environment = environmentCapable.getMethod("getEnvironment").invoke(context);
            Class<?> propertyResolver = loader.loadClass("org.springframework.core.env.PropertyResolver");
            String port = (String) propertyResolver.getMethod("getProperty", String.class).invoke(environment,
                    "local.server.port");
            return new MembershipServiceInstance((Closeable) context, root, Integer.parseInt(port), loader);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the membership service failed to start: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the membership service's classes do not load: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public X509Certificate rootCertificate() {
        return root;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        try {
            context.close();
        } finally {
            loader.close();
        }
    }
}
