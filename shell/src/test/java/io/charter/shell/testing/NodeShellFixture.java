package io.charter.shell.testing;

import io.charter.common.pki.Pem;
import io.charter.common.testing.FakeMembershipService;
import io.charter.common.testing.TestHttp;
import io.charter.common.testing.TestPki;
import io.charter.common.testing.TestTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What the orderer's and the peer's Spring Boot tests set up alike: a folder for the node's files, the properties
 * that put the node on loopback with its PEM files or its enrollment (under the node's prefix, e.g.
 * {@code charter.peer}), HTTPS clients with client certificates of the test PKI, and the admin API's endpoints as
 * Spring MVC maps them.
 */
public final class NodeShellFixture {

    private final String prefix;
    private final TestPki pki;
    private final Path files;

    private NodeShellFixture(String prefix, TestPki pki, Path files) {
        this.prefix = prefix;
        this.pki = pki;
        this.files = files;
    }

    /** A fixture for the node whose properties are under {@code prefix}, its files in a new temporary folder. */
    public static NodeShellFixture of(String prefix, TestPki pki) {
        try {
            return new NodeShellFixture(prefix, pki, Files.createTempDirectory(prefix.replace('.', '-')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of the node's files; its data directory is {@code data/} in it. */
    public Path files() {
        return files;
    }

    /** Writes {@code content} to {@code name} in {@link #files()}; the file's path. */
    public String write(String name, String content) {
        try {
            return Files.writeString(files.resolve(name), content).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The data directory, the consortium root as trusted TLS root, the transport on 127.0.0.1 at
     * {@code transportPort} (0: any), and the admin and operations listeners on 127.0.0.1 at ports Spring picks.
     */
    public void registerNode(DynamicPropertyRegistry registry, int transportPort) {
        registry.add(prefix + ".data-dir", () -> files.resolve("data").toString());
        registry.add(prefix + ".tls.trusted-roots", () -> write("roots.pem", Pem.encodeCertificate(pki.root().certificate())));
        registry.add(prefix + ".transport.host", () -> "127.0.0.1");
        registry.add(prefix + ".transport.port", () -> String.valueOf(transportPort));
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("management.server.port", () -> "0");
        registry.add("management.server.address", () -> "127.0.0.1");
    }

    /** The node's signing and TLS identities as PEM files. */
    public void registerIdentity(DynamicPropertyRegistry registry, TestPki.Credential signing, TestPki.Credential tls) {
        registry.add(prefix + ".signing.certificate", () -> write("signing.pem", Pem.encodeCertificates(signing.chain())));
        registry.add(prefix + ".signing.private-key", () -> write("signing.key", Pem.encodePrivateKey(signing.keys().getPrivate())));
        registry.add(prefix + ".tls.certificate", () -> write("tls.pem", Pem.encodeCertificates(tls.chain())));
        registry.add(prefix + ".tls.private-key", () -> write("tls.key", Pem.encodePrivateKey(tls.keys().getPrivate())));
    }

    /** Enrollment at {@code membership} as {@code enrollmentId} with {@code secret}, instead of PEM files. */
    public void registerMembership(DynamicPropertyRegistry registry, FakeMembershipService membership, String enrollmentId,
            String secret) {
        registry.add(prefix + ".membership.url", () -> membership.url().toString());
        registry.add(prefix + ".membership.enrollment-id", () -> enrollmentId);
        registry.add(prefix + ".membership.enrollment-secret", () -> secret);
    }

    /** An HTTPS client presenting {@code credential}, trusting the consortium root. */
    public HttpClient http(TestPki.Credential credential) {
        return TestTls.httpClient(credential, pki.root().certificate());
    }

    /** A GET of {@code path} on the operations listener at {@code port} (plain HTTP). */
    public static HttpResponse<String> operations(int port, String path) {
        return TestHttp.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    /** Every endpoint Spring MVC maps whose path pattern {@code matches}, each as "METHOD pattern". */
    public static List<String> endpoints(RequestMappingHandlerMapping mapping, Predicate<String> matches) {
        List<String> endpoints = new ArrayList<>();
        mapping.getHandlerMethods().keySet().forEach(info -> info.getPathPatternsCondition().getPatternValues()
                .stream().filter(matches)
                .forEach(pattern -> info.getMethodsCondition().getMethods()
                        .forEach(method -> endpoints.add(method.name() + " " + pattern))));
        return endpoints;
    }
}
