package io.charter.client.sdk;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.Signer;
import io.charter.common.membership.MembershipClient;
import io.charter.common.membership.MembershipException;
import io.charter.common.pki.CertificationRequests;
import io.charter.common.pki.Pem;
import io.charter.common.pki.PkiFormatException;
import io.charter.common.pki.Role;
import io.charter.common.pki.SubjectName;
import io.charter.common.transport.tls.TlsCredentials;
import io.charter.protocol.SerializedIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who a client is: its organization's MSP id, its signing certificate chain and key (proposals and
 * transactions are signed with it) and its TLS certificate chain and key (the mutual-TLS identity
 * peers and orderers see; their Readers checks apply to it). Both certificates come from the
 * membership service: the signing one from the organization's signing CA, the TLS one from its TLS CA.
 *
 * <p>Load one from PEM files ({@link #fromPem}), from a PKCS#12 keystore ({@link #fromPkcs12}) or
 * enroll one on the spot ({@link #enroll}); save it with {@link #toPkcs12} or {@link #writePem}.
 * Keys are ECDSA P-256. Immutable and thread-safe.
 */
public final class Identity {

    /** The alias of the signing entry in a PKCS#12 keystore. */
    public static final String SIGNING_ALIAS = "signing";
    /** The alias of the TLS entry in a PKCS#12 keystore. */
    public static final String TLS_ALIAS = "tls";

    private final String mspId;
    private final List<X509Certificate> signingChain;
    private final PrivateKey signingKey;
    private final TlsCredentials tls;
    private final Signer signer;
    private final ByteString serialized;

    private Identity(List<X509Certificate> signingChain, PrivateKey signingKey, TlsCredentials tls) {
        this.signingChain = List.copyOf(signingChain);
        if (this.signingChain.isEmpty()) {
            throw invalid("the signing certificate chain is empty", null);
        }
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.mspId = SubjectName.from(certificate()).map(SubjectName::organization).filter(o -> !o.isEmpty())
                .orElseThrow(() -> invalid("the signing certificate names no organization (O=<MSP id>) in its subject: "
                        + certificate().getSubjectX500Principal().getName(), null));
        try {
            this.signer = EcdsaSigner.of(new KeyPair(certificate().getPublicKey(), signingKey));
            EcdsaSigner.of(new KeyPair(tls.certificate().getPublicKey(), tls.privateKey()));
        } catch (IllegalArgumentException e) {
            throw invalid("a private key does not belong to its certificate, or is not P-256: " + e.getMessage(), e);
        }
        try {
            this.serialized = SerializedIdentity.newBuilder()
                    .setMspId(mspId)
                    .setCertificate(ByteString.copyFrom(certificate().getEncoded()))
                    .build()
                    .toByteString();
        } catch (CertificateEncodingException e) {
            throw invalid("the signing certificate cannot be encoded", e);
        }
    }

    /**
     * An identity from its parts.
     *
     * @param signingChain the signing certificate first, then (optionally) its issuing CAs
     * @param tlsChain the TLS client certificate first, then its issuing CA (peers need it to build the path)
     * @throws SdkException {@code IDENTITY_INVALID} when a key does not match its certificate or the
     *     signing certificate names no organization
     */
    public static Identity of(List<X509Certificate> signingChain, PrivateKey signingKey, List<X509Certificate> tlsChain,
                              PrivateKey tlsKey) {
        return new Identity(signingChain, signingKey, new TlsCredentials(tlsKey, tlsChain));
    }

    /**
     * Reads PEM files: certificate files hold the certificate and optionally its chain; key files a
     * PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) P-256 key.
     *
     * @throws SdkException {@code IDENTITY_INVALID} naming the file that cannot be read or parsed
     */
    public static Identity fromPem(Path signingCertificate, Path signingKey, Path tlsCertificate, Path tlsKey) {
        return of(certificates(signingCertificate), key(signingKey), certificates(tlsCertificate), key(tlsKey));
    }

    /**
     * Reads a PKCS#12 keystore holding two private-key entries, {@value #SIGNING_ALIAS} and
     * {@value #TLS_ALIAS}, protected by {@code password} (as {@link #toPkcs12} writes it).
     */
    public static Identity fromPkcs12(Path keystore, char[] password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(keystore);
        } catch (IOException e) {
            throw invalid("cannot read the keystore " + keystore + ": " + e.getMessage(), e);
        }
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return of(chain(store, SIGNING_ALIAS, keystore), entryKey(store, SIGNING_ALIAS, password, keystore),
                    chain(store, TLS_ALIAS, keystore), entryKey(store, TLS_ALIAS, password, keystore));
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("cannot open the keystore " + keystore + " (wrong password or not PKCS#12?): " + e.getMessage(), e);
        }
    }

    /**
     * Enrolls {@code enrollmentId} with its one-time {@code secret}: generates two P-256 key pairs here
     * (no private key leaves this process) and has the membership service certify one with the
     * organization's signing CA and the other with its TLS CA.
     *
     * @param mspId the organization the identity was registered in
     * @throws SdkException {@code MEMBERSHIP_FAILED} with the service's error code in the message
     *     (e.g. {@code AUTHENTICATION_FAILED} for a wrong or used secret)
     */
    public static Identity enroll(MembershipClient membership, String mspId, String enrollmentId, String secret) {
        SubjectName subject = SubjectName.of(enrollmentId, mspId, Role.CLIENT);
        KeyPair signingKeys = EcKeys.generate();
        KeyPair tlsKeys = EcKeys.generate();
        try {
            MembershipClient.Enrollment signing = membership.enroll(enrollmentId, secret,
                    CertificationRequests.create(subject, signingKeys, List.of()).encoded(), "signing", List.of());
            MembershipClient.Enrollment tls = membership.enroll(enrollmentId, secret,
                    CertificationRequests.create(subject, tlsKeys, List.of()).encoded(), "tls", List.of());
            return of(chainOf(signing), signingKeys.getPrivate(), chainOf(tls), tlsKeys.getPrivate());
        } catch (MembershipException e) {
            throw SdkException.of(Step.IDENTITY, SdkErrorCode.MEMBERSHIP_FAILED, "enrolling '" + enrollmentId
                    + "' failed: " + e.getMessage() + " (check the enrollment id, its secret and that it was registered in "
                    + mspId + ")").cause(e).build();
        }
    }

    private static List<X509Certificate> chainOf(MembershipClient.Enrollment enrollment) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(enrollment.certificate());
        chain.addAll(enrollment.chain());
        return chain;
    }

    /** The organization's MSP id, from the signing certificate's subject ({@code O=}). */
    public String mspId() {
        return mspId;
    }

    /** The signing certificate. */
    public X509Certificate certificate() {
        return signingChain.getFirst();
    }

    /** The signing certificate and the issuing CAs it came with. */
    public List<X509Certificate> signingChain() {
        return signingChain;
    }

    /** The enrollment id: the signing certificate's common name. */
    public String enrollmentId() {
        return SubjectName.from(certificate()).map(SubjectName::commonName).orElse("");
    }

    /** The TLS key and chain presented to peers and orderers. */
    public TlsCredentials tls() {
        return tls;
    }

    /** Signs with the signing key. */
    public Signer signer() {
        return signer;
    }

    /** The serialized {@code SerializedIdentity} that proposals and transactions carry as creator. */
    public ByteString serialized() {
        return serialized;
    }

    /** The certificate and signer for the membership service's token-authenticated calls (discovery). */
    public MembershipClient.Credential membershipCredential() {
        return new MembershipClient.Credential(certificate(), signer);
    }

    /** This identity as a PKCS#12 keystore with the entries {@value #SIGNING_ALIAS} and {@value #TLS_ALIAS}. */
    public byte[] toPkcs12(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(SIGNING_ALIAS, signingKey, password, signingChain.toArray(Certificate[]::new));
            store.setKeyEntry(TLS_ALIAS, tls.privateKey(), password, tls.chain().toArray(Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("cannot write the identity as PKCS#12: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code signing-cert.pem}, {@code signing-key.pem}, {@code tls-cert.pem} and {@code tls-key.pem}
     * into {@code directory} (created if needed), readable by {@link #fromPem}. Keys are PKCS#8, unencrypted,
     * readable by their owner only (where the file system has POSIX permissions).
     */
    public void writePem(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("signing-cert.pem"), Pem.encodeCertificates(signingChain));
            writeKey(directory.resolve("signing-key.pem"), Pem.encodePrivateKey(signingKey));
            Files.writeString(directory.resolve("tls-cert.pem"), Pem.encodeCertificates(tls.chain()));
            writeKey(directory.resolve("tls-key.pem"), Pem.encodePrivateKey(tls.privateKey()));
        } catch (IOException e) {
            throw invalid("cannot write the identity to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes a key readable by its owner only, where the file system has POSIX permissions. */
    private static void writeKey(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, pem);
    }

    @Override
    public String toString() {
        return "Identity[" + enrollmentId() + "@" + mspId + "]";
    }

    private static List<X509Certificate> certificates(Path file) {
        try {
            return Pem.decodeCertificates(Files.readString(file));
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage(), e);
        } catch (PkiFormatException e) {
            throw invalid(file + " holds no usable certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(Path file) {
        try {
            return Pem.decodePrivateKey(Files.readString(file));
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage(), e);
        } catch (PkiFormatException e) {
            throw invalid(file + " holds no usable P-256 private key: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> chain(KeyStore store, String alias, Path keystore) throws GeneralSecurityException {
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            throw invalid("the keystore " + keystore + " has no key entry '" + alias + "' (expected '" + SIGNING_ALIAS
                    + "' and '" + TLS_ALIAS + "')", null);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : chain) {
            certificates.add((X509Certificate) certificate);
        }
        return certificates;
    }

    private static PrivateKey entryKey(KeyStore store, String alias, char[] password, Path keystore)
            throws GeneralSecurityException {
        if (!(store.getKey(alias, password) instanceof PrivateKey key)) {
            throw invalid("the keystore entry '" + alias + "' of " + keystore + " holds no private key", null);
        }
        return key;
    }

    private static SdkException invalid(String message, Throwable cause) {
        return SdkException.of(Step.IDENTITY, SdkErrorCode.IDENTITY_INVALID, message).cause(cause).build();
    }
}
