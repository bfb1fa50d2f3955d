package io.charter.common.pki;

import io.charter.common.crypto.EcKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * PEM (RFC 7468) text for certificates, chains, CRLs, PKCS#8 private keys, public keys and CSRs.
 *
 * <p>Decoding is strict inside a block (matching BEGIN/END labels, Base64 body, no encryption headers)
 * and lenient outside, like OpenSSL: text between blocks (comments, "Bag Attributes") is ignored. Every
 * decoding error is a {@link PkiFormatException} with a {@link PkiFormatException.Code}.
 */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CRL = "X509 CRL";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    /** SEC1 EC keys, as {@code openssl ecparam -genkey} writes them; read, never written. */
    public static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    public static final String PUBLIC_KEY = "PUBLIC KEY";
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    /** The label older tools (Java keytool, Netscape) write for CSRs; read, never written. */
    public static final String NEW_CERTIFICATE_REQUEST = "NEW CERTIFICATE REQUEST";

    private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----$");
    private static final Pattern END = Pattern.compile("^-----END ([A-Z0-9 ]+)-----$");
    private static final int LINE_LENGTH = 64;

    private Pem() {}

    /** One PEM block: its label and the DER bytes it carries. */
    public record Block(String type, byte[] der) {
        public Block {
            Objects.requireNonNull(type, "type");
            der = der.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    // ---- encoding ----

    /** One block with a 64-column Base64 body and a final newline. */
    public static String encode(String type, byte[] der) {
        String body = Base64.getEncoder().encodeToString(der);
        StringBuilder text = new StringBuilder(body.length() + body.length() / LINE_LENGTH + 64);
        text.append("-----BEGIN ").append(type).append("-----\n");
        for (int i = 0; i < body.length(); i += LINE_LENGTH) {
            text.append(body, i, Math.min(body.length(), i + LINE_LENGTH)).append('\n');
        }
        return text.append("-----END ").append(type).append("-----\n").toString();
    }

    public static String encodeCertificate(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded", e);
        }
    }

    /** A chain (or any list of certificates) as consecutive blocks, in the given order. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        certificates.forEach(certificate -> text.append(encodeCertificate(certificate)));
        return text.toString();
    }

    public static String encodeCrl(X509CRL crl) {
        try {
            return encode(CRL, crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalArgumentException("the CRL cannot be encoded", e);
        }
    }

    /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block: protect the text as you would the key. */
    public static String encodePrivateKey(PrivateKey key) {
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("the private key does not export to PKCS#8");
        }
        return encode(PRIVATE_KEY, der);
    }

    public static String encodePublicKey(PublicKey key) {
        return encode(PUBLIC_KEY, key.getEncoded());
    }

    public static String encodeCsr(CertificationRequest request) {
        return encode(CERTIFICATE_REQUEST, request.encoded());
    }

    // ---- decoding ----

    /**
     * All blocks of {@code text}, in order.
     *
     * @throws PkiFormatException {@code PEM_MALFORMED} when there is no block, a block is not closed or
     *     closed with another label, or a body is not Base64
     */
    public static List<Block> decodeAll(String text) {
        if (text == null) {
            throw malformed("no PEM text");
        }
        List<Block> blocks = new ArrayList<>();
        String type = null;
        StringBuilder body = null;
        int lineNumber = 0;
        for (String rawLine : (Iterable<String>) text.lines()::iterator) { // \n, \r or \r\n
            lineNumber++;
            String line = rawLine.strip();
            if (type == null) {
                Matcher begin = BEGIN.matcher(line);
                if (begin.matches()) {
                    type = begin.group(1);
                    body = new StringBuilder();
                } else if (line.startsWith("-----END")) {
                    throw malformed("line " + lineNumber + ": END without BEGIN");
                }
                continue;
            }
            Matcher end = END.matcher(line);
            if (end.matches()) {
                if (!end.group(1).equals(type)) {
                    throw malformed("line " + lineNumber + ": '" + type + "' block closed by END " + end.group(1));
                }
                blocks.add(new Block(type, base64(body.toString(), type)));
                type = null;
                body = null;
            } else if (line.startsWith("-----")) {
                throw malformed("line " + lineNumber + ": '" + type + "' block is not closed before " + line);
            } else if (line.contains(":")) {
                throw malformed("line " + lineNumber + ": PEM headers (encrypted PEM, " + line
                        + ") are not supported; decrypt the key first");
            } else {
                body.append(line);
            }
        }
        if (type != null) {
            throw malformed("the '" + type + "' block has no END line");
        }
        if (blocks.isEmpty()) {
            throw malformed("no '-----BEGIN ...-----' block found");
        }
        return List.copyOf(blocks);
    }

    /** Exactly one certificate. */
    public static X509Certificate decodeCertificate(String text) {
        List<X509Certificate> certificates = decodeCertificates(text);
        if (certificates.size() != 1) {
            throw malformed("expected one certificate, found " + certificates.size());
        }
        return certificates.getFirst();
    }

    /** One or more certificates (a chain, leaf first by convention); every block must be a certificate. */
    public static List<X509Certificate> decodeCertificates(String text) {
        return decodeAll(text).stream()
                .map(block -> Certificates.parseCertificate(expect(block, CERTIFICATE)))
                .toList();
    }

    /**
     * The certificates of a PEM file ({@link #decodeCertificates}).
     *
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static List<X509Certificate> readCertificates(Path file) {
        return decodeCertificates(readText(file));
    }

    /** Exactly one CRL. */
    public static X509CRL decodeCrl(String text) {
        List<X509CRL> crls = decodeCrls(text);
        if (crls.size() != 1) {
            throw malformed("expected one CRL, found " + crls.size());
        }
        return crls.getFirst();
    }

    public static List<X509CRL> decodeCrls(String text) {
        return decodeAll(text).stream().map(block -> Certificates.parseCrl(expect(block, CRL))).toList();
    }

    /**
     * One P-256 private key, PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}).
     *
     * @throws PkiFormatException {@code KEY_MALFORMED}, {@code KEY_UNSUPPORTED} (another algorithm or curve),
     *     or a PEM code
     */
    public static PrivateKey decodePrivateKey(String text) {
        Block block = single(decodeAll(text), "private key");
        byte[] pkcs8 = switch (block.type()) {
            case PRIVATE_KEY -> block.der();
            case EC_PRIVATE_KEY -> sec1ToPkcs8(block.der());
            default -> throw unexpected(block, PRIVATE_KEY);
        };
        return pkcs8ToKey(pkcs8);
    }

    /**
     * The private key of a PEM file ({@link #decodePrivateKey}).
     *
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static PrivateKey readPrivateKey(Path file) {
        return decodePrivateKey(readText(file));
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the PEM file " + file + ": " + e.getMessage(), e);
        }
    }

    /** One P-256 public key ({@code PUBLIC KEY}, X.509 SubjectPublicKeyInfo). */
    public static PublicKey decodePublicKey(String text) {
        Block block = single(decodeAll(text), "public key");
        try {
            return EcKeys.publicKeyFromX509(expect(block, PUBLIC_KEY));
        } catch (InvalidKeySpecException e) {
            throw new PkiFormatException(PkiFormatException.Code.KEY_UNSUPPORTED,
                    "not an EC " + EcKeys.CURVE + " public key: " + e.getMessage(), e);
        }
    }

    /** One CSR, parsed and its self-signature verified ({@link CertificationRequests#parse}). */
    public static CertificationRequest decodeCsr(String text) {
        Block block = single(decodeAll(text), "certification request");
        if (!block.type().equals(CERTIFICATE_REQUEST) && !block.type().equals(NEW_CERTIFICATE_REQUEST)) {
            throw unexpected(block, CERTIFICATE_REQUEST);
        }
        return CertificationRequests.parse(block.der());
    }

    private static Block single(List<Block> blocks, String what) {
        if (blocks.size() != 1) {
            throw malformed("expected one " + what + ", found " + blocks.size() + " PEM blocks");
        }
        return blocks.getFirst();
    }

    private static byte[] expect(Block block, String type) {
        if (!block.type().equals(type)) {
            throw unexpected(block, type);
        }
        return block.der();
    }

    private static PkiFormatException unexpected(Block block, String type) {
        return new PkiFormatException(PkiFormatException.Code.PEM_UNEXPECTED_TYPE,
                "expected a '" + type + "' block, found '" + block.type() + "'");
    }

    private static byte[] base64(String body, String type) {
        if (body.isEmpty()) {
            throw malformed("the '" + type + "' block is empty");
        }
        try {
            return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw malformed("the '" + type + "' block is not Base64: " + e.getMessage());
        }
    }

    private static PrivateKey pkcs8ToKey(byte[] pkcs8) {
        AlgorithmIdentifier algorithm;
        try {
            algorithm = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(pkcs8)).getPrivateKeyAlgorithm();
        } catch (Exception e) {
            throw new PkiFormatException(PkiFormatException.Code.KEY_MALFORMED,
                    "not a PKCS#8 private key: " + e.getMessage(), e);
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(algorithm.getParameters())) {
            throw new PkiFormatException(PkiFormatException.Code.KEY_UNSUPPORTED,
                    "a key of algorithm " + algorithm.getAlgorithm() + " (" + describe(algorithm.getParameters())
                            + "); Charter uses EC " + EcKeys.CURVE + " keys only");
        }
        try {
            return EcKeys.privateKeyFromPkcs8(pkcs8);
        } catch (InvalidKeySpecException e) {
            throw new PkiFormatException(PkiFormatException.Code.KEY_MALFORMED,
                    "not a valid EC private key: " + e.getMessage(), e);
        }
    }

    /**
     * Names the algorithm parameters for an error message without printing their value: an attacker-chosen
     * value (a string with invalid UTF-8, say) must not turn a typed error into an untyped one.
     */
    private static String describe(org.bouncycastle.asn1.ASN1Encodable parameters) {
        if (parameters == null) {
            return "no parameters";
        }
        if (parameters instanceof org.bouncycastle.asn1.ASN1ObjectIdentifier curve) {
            return curve.getId();
        }
        return "parameters of type " + parameters.getClass().getSimpleName();
    }

    private static byte[] sec1ToPkcs8(byte[] sec1) {
        try {
            var ecKey = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(sec1));
            if (ecKey.getParametersObject() == null) {
                throw new PkiFormatException(PkiFormatException.Code.KEY_UNSUPPORTED,
                        "the SEC1 key does not name its curve");
            }
            return new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ecKey.getParametersObject()), ecKey)
                    .getEncoded();
        } catch (PkiFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PkiFormatException(PkiFormatException.Code.KEY_MALFORMED,
                    "not a SEC1 EC private key: " + e.getMessage(), e);
        }
    }

    private static PkiFormatException malformed(String message) {
        return new PkiFormatException(PkiFormatException.Code.PEM_MALFORMED, message);
    }
}
