package io.charter.common.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * In-memory PKCS#12 key stores for the JDK's TLS (key managers, trust managers, Spring SSL bundles):
 * nodes keep their keys and certificates as PEM files, and every TLS listener or client needs them in
 * this form. Nothing is written to disk.
 */
public final class KeyStores {

    private KeyStores() {}

    /**
     * A key store holding one private key entry.
     *
     * @param password protects the entry inside the in-memory store only
     * @param chain the certificate chain, leaf first
     */
    public static KeyStore withKey(String alias, PrivateKey key, char[] password, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key entry needs its certificate chain");
        }
        KeyStore store = empty();
        try {
            store.setKeyEntry(alias, key, password, chain.toArray(Certificate[]::new));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot store the key '" + alias + "' with its certificate chain", e);
        }
        return store;
    }

    /** A trust store holding {@code roots} as entries {@code root-0}, {@code root-1}, ... */
    public static KeyStore trusting(List<X509Certificate> roots) {
        KeyStore store = empty();
        try {
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot store a trusted root certificate", e);
        }
        return store;
    }

    private static KeyStore empty() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK offers no PKCS12 key store", e);
        }
    }
}
