package io.charter.membership.ca;

import io.charter.common.pki.CertificateAuthority;
import io.charter.membership.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads an existing consortium root CA from PEM files or PKCS#12. The CA certificate must be a
 * self-signed CA certificate with an EC key, and the private key must belong to it.
 */
public final class RootImporter {

    private RootImporter() {}

    public static CertificateAuthority load(CaImport source) {
        return switch (source) {
            case CaImport.PemFiles pem -> fromPem(pem);
            case CaImport.Pkcs12 p12 -> fromPkcs12(p12);
        };
    }

    private static CertificateAuthority fromPem(CaImport.PemFiles pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem.certificate())) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupException("cannot read the root CA certificate from " + pem.certificate() + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new StartupException(pem.certificate() + " holds no certificate; give the root CA certificate in PEM");
        }
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(pem.privateKey()); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = switch (object) {
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null -> throw new StartupException(pem.privateKey() + " holds no PEM private key");
                default -> throw new StartupException(pem.privateKey() + " holds a " + object.getClass().getSimpleName()
                        + ", not an unencrypted PRIVATE KEY or EC PRIVATE KEY");
            };
        } catch (IOException e) {
            throw new StartupException("cannot read the root CA key from " + pem.privateKey() + ": " + e.getMessage(), e);
        }
        X509Certificate root = certificates.getLast();
        return checked(key, root, pem.certificate().toString());
    }

    private static CertificateAuthority fromPkcs12(CaImport.Pkcs12 p12) {
        try (InputStream in = Files.newInputStream(p12.file())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, p12.password());
            String alias = p12.alias();
            if (alias == null) {
                List<String> keyAliases = new ArrayList<>();
                for (String a : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(a)) {
                        keyAliases.add(a);
                    }
                }
                if (keyAliases.size() != 1) {
                    throw new StartupException(p12.file() + " holds " + keyAliases.size()
                            + " key entries; name the root CA's alias in the settings");
                }
                alias = keyAliases.getFirst();
            }
            if (!store.isKeyEntry(alias)) {
                throw new StartupException(p12.file() + " has no key entry named '" + alias + "'");
            }
            PrivateKey key = (PrivateKey) store.getKey(alias, p12.password());
            Certificate[] chain = store.getCertificateChain(alias);
            if (chain == null || chain.length == 0) {
                throw new StartupException(p12.file() + " entry '" + alias + "' has no certificate");
            }
            return checked(key, (X509Certificate) chain[chain.length - 1], p12.file().toString());
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupException("cannot read the root CA from PKCS#12 " + p12.file()
                    + " (wrong password or not PKCS#12?): " + e.getMessage(), e);
        }
    }

    private static CertificateAuthority checked(PrivateKey key, X509Certificate root, String source) {
        if (!"EC".equals(key.getAlgorithm()) && !"ECDSA".equals(key.getAlgorithm())) {
            throw new StartupException("the root CA key from " + source + " is " + key.getAlgorithm() + "; Charter needs EC P-256");
        }
        if (root.getBasicConstraints() < 0) {
            throw new StartupException("the certificate from " + source + " is not a CA certificate");
        }
        if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
            throw new StartupException("the certificate from " + source + " is not self-signed; import the consortium root");
        }
        try {
            root.verify(root.getPublicKey());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            byte[] probe = "charter-root-import".getBytes();
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(root.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new StartupException("the private key from " + source + " does not belong to the root CA certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new StartupException("cannot check the root CA from " + source + ": " + e.getMessage(), e);
        }
        return CertificateAuthority.of(key, List.of(root));
    }
}
