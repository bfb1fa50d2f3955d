package io.charter.membership.ca;

import io.charter.common.crypto.EcKeys;
import io.charter.common.pki.CertificateAuthority;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.SubjectName;
import io.charter.common.pki.Validity;
import io.charter.membership.MembershipSettings;
import io.charter.membership.db.Database;
import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CAs stored in the database, with their keys opened from the {@link KeyVault}. Loaded CAs are cached:
 * a CA's certificate and key never change once stored, so the cache cannot go stale across instances.
 * Internal to the membership core.
 */
public final class CertificateAuthorities {

    public static final String ROOT_ID = "root";

    private final KeyVault vault;
    private final Clock clock;
    private final MembershipSettings settings;
    private final Map<String, CertificateAuthority> cache = new ConcurrentHashMap<>();

    public CertificateAuthorities(KeyVault vault, Clock clock, MembershipSettings settings) {
        this.vault = vault;
        this.clock = clock;
        this.settings = settings;
    }

    public static String id(String mspId, CertificatePurpose profile) {
        return mspId + "/" + profileLabel(profile);
    }

    public static String profileLabel(CertificatePurpose profile) {
        return profile.name().toLowerCase(Locale.ROOT);
    }

    public static CertificatePurpose profileOf(String label) {
        return CertificatePurpose.valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** The root CA; fails when the service was not bootstrapped. */
    public CertificateAuthority root(Connection c) throws SQLException {
        return load(c, ROOT_ID, null).orElseThrow(() -> new IllegalStateException("no root CA: not bootstrapped"));
    }

    /** An organization's issuing CA, with the root as its chain; empty when the organization has none. */
    public Optional<CertificateAuthority> issuing(Connection c, String mspId, CertificatePurpose profile)
            throws SQLException {
        String id = id(mspId, profile);
        CertificateAuthority cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        CertificateAuthority root = root(c);
        return load(c, id, root);
    }

    /** Only the certificate of a CA: no key is opened. */
    public Optional<X509Certificate> certificate(Connection c, String id) throws SQLException {
        CertificateAuthority cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached.certificate());
        }
        return Database.queryOne(c, "select certificate from certificate_authority where id = ?",
                row -> parseCertificate(row.getBytes(1)), id);
    }

    private Optional<CertificateAuthority> load(Connection c, String id, CertificateAuthority parent) throws SQLException {
        CertificateAuthority cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<CertificateAuthority> loaded = Database.queryOne(c, """
                select certificate, key_salt, key_nonce, key_iterations, key_ciphertext
                from certificate_authority where id = ?""", row -> {
            X509Certificate certificate = parseCertificate(row.getBytes(1));
            PrivateKey key = vault.open(new KeyVault.SealedKey(row.getBytes(2), row.getBytes(3), row.getInt(4),
                    row.getBytes(5)), id);
            List<X509Certificate> chain = parent == null
                    ? List.of(certificate)
                    : java.util.stream.Stream.concat(java.util.stream.Stream.of(certificate), parent.chain().stream()).toList();
            return CertificateAuthority.of(key, chain);
        }, id);
        loaded.ifPresent(ca -> cache.put(id, ca));
        return loaded;
    }

    /** Stores a CA (certificate and sealed key) under {@code id}. */
    public void store(Connection c, String id, String kind, String mspId, CertificateAuthority ca, boolean imported)
            throws SQLException {
        KeyVault.SealedKey sealed = vault.seal(ca.privateKey(), id);
        try {
            Database.update(c, """
                    insert into certificate_authority
                      (id, kind, msp_id, certificate, key_salt, key_nonce, key_iterations, key_ciphertext, imported, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    id, kind, mspId, ca.certificate().getEncoded(), sealed.salt(), sealed.nonce(), sealed.iterations(),
                    sealed.ciphertext(), imported, clock.instant());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode CA certificate", e);
        }
    }

    /** Creates and stores an organization's signing and TLS issuing CAs under the root. */
    public void createOrganizationCas(Connection c, String mspId) throws SQLException {
        CertificateAuthority root = root(c);
        Instant now = clock.instant();
        Validity validity = new Validity(now.minus(Duration.ofMinutes(5)), now.plus(settings.issuingCaLifetime()));
        for (CertificatePurpose profile : CertificatePurpose.values()) {
            String prefix = profile == CertificatePurpose.SIGNING ? "ca." : "tlsca.";
            CertificateAuthority ca = root.createIntermediate(SubjectName.ca(prefix + mspId, mspId), EcKeys.generate(), validity);
            store(c, id(mspId, profile), profileLabel(profile), mspId, ca, false);
        }
    }

    public static X509Certificate parseCertificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalStateException("stored certificate is not DER X.509", e);
        }
    }
}
