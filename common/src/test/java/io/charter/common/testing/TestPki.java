package io.charter.common.testing;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificateTemplate;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consortium PKI for tests, shaped like Charter's: one consortium root, and per organization an
 * issuing CA for signing certificates and one for TLS certificates.
 */
public final class TestPki {

    private final CertificateAuthority root;
    private final Map<String, Organization> organizations = new LinkedHashMap<>();

    private TestPki(CertificateAuthority root) {
        this.root = root;
    }

    public static TestPki create(String... mspIds) {
        Instant now = Instant.now();
        TestPki pki = new TestPki(CertificateAuthority.createRoot(
                SubjectName.ca("consortium-root", "Consortium"), EcKeys.generate(),
                new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)))));
        for (String mspId : mspIds) {
            pki.addOrganization(mspId);
        }
        return pki;
    }

    public Organization addOrganization(String mspId) {
        Instant now = Instant.now();
        Validity validity = new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1825)));
        Organization org = new Organization(
                mspId,
                root.createIntermediate(SubjectName.ca("ca." + mspId, mspId), EcKeys.generate(), validity),
                root.createIntermediate(SubjectName.ca("tlsca." + mspId, mspId), EcKeys.generate(), validity));
        organizations.put(mspId, org);
        return org;
    }

    public CertificateAuthority root() {
        return root;
    }

    public Organization organization(String mspId) {
        Organization org = organizations.get(mspId);
        if (org == null) {
            throw new IllegalArgumentException("no organization " + mspId + " in this test PKI");
        }
        return org;
    }

    /** An organization's two issuing CAs. */
    public record Organization(String mspId, CertificateAuthority signingCa, CertificateAuthority tlsCa) {

        /** A signing identity valid from yesterday for a year. */
        public Credential enroll(String name, Role role) {
            return enroll(name, role, defaultValidity());
        }

        public Credential enroll(String name, Role role, Validity validity) {
            KeyPair keys = EcKeys.generate();
            X509Certificate certificate = signingCa.issue(
                    CertificateTemplate.signing(SubjectName.of(name, mspId, role), keys.getPublic(), validity));
            return new Credential(keys, chainOf(certificate, signingCa));
        }

        /** A TLS identity for {@code localhost} and {@code 127.0.0.1}. */
        public Credential enrollTls(String name, Role role) {
            KeyPair keys = EcKeys.generate();
            X509Certificate certificate = tlsCa.issue(CertificateTemplate.tls(
                    SubjectName.of(name, mspId, role), keys.getPublic(), defaultValidity(),
                    List.of("localhost", "127.0.0.1")));
            return new Credential(keys, chainOf(certificate, tlsCa));
        }

        private static Validity defaultValidity() {
            Instant now = Instant.now();
            return new Validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
        }

        private static List<X509Certificate> chainOf(X509Certificate leaf, CertificateAuthority issuer) {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(leaf);
            chain.addAll(issuer.chain());
            return List.copyOf(chain);
        }
    }

    /** A key pair with its certificate chain: leaf first, root last. */
    public record Credential(KeyPair keys, List<X509Certificate> chain) {

        public X509Certificate certificate() {
            return chain.getFirst();
        }
    }
}
