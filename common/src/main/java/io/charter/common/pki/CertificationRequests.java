package io.charter.common.pki;

import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import io.charter.common.crypto.Signer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Makes and checks PKCS#10 certification requests (CSRs). Enrollment sends a CSR, never a private key
 * (DESIGN section 2): the membership service parses it here, which also proves possession of the key.
 */
public final class CertificationRequests {

    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = EcdsaContentSigner.ECDSA_WITH_SHA256;
    private static final EcdsaVerifier VERIFIER = new EcdsaVerifier();

    private CertificationRequests() {}

    /** A CSR for {@code keys}, signed with its private key. */
    public static CertificationRequest create(SubjectName subject, KeyPair keys, List<String> subjectAlternativeNames) {
        return create(subject, EcdsaSigner.of(keys), subjectAlternativeNames);
    }

    /**
     * A CSR for the key of {@code signer}, signed by it (the key may live wherever the signer keeps it).
     *
     * @param subjectAlternativeNames DNS names or IP literals (for TLS certificates), may be empty
     */
    public static CertificationRequest create(SubjectName subject, Signer signer, List<String> subjectAlternativeNames) {
        Objects.requireNonNull(subject, "subject");
        PublicKey publicKey = signer.publicKey();
        PKCS10CertificationRequestBuilder builder = new PKCS10CertificationRequestBuilder(
                subject.toX500Name(), SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
        try {
            if (!subjectAlternativeNames.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                        subjectAlternativeNames.stream().map(CertificationRequests::generalName).toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            byte[] der = builder.build(new EcdsaContentSigner(signer::sign)).getEncoded();
            return parse(der);
        } catch (IOException e) {
            throw new IllegalStateException("could not build a certification request", e);
        }
    }

    /**
     * Parses a DER CSR and verifies its self-signature.
     *
     * @throws PkiFormatException {@code CSR_MALFORMED} (not exactly one DER PKCS#10 request, or an unreadable
     *     key or extension), {@code CSR_UNSUPPORTED_KEY} (not EC P-256, or not signed with ECDSA/SHA-256),
     *     {@code CSR_BAD_SIGNATURE} (the signature does not verify with the key in the request)
     */
    public static CertificationRequest parse(byte[] der) {
        if (der == null || der.length == 0 || der[0] != 0x30) {
            throw malformed("not a DER-encoded PKCS#10 request (it must start with a SEQUENCE)", null);
        }
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der);
            if (!Arrays.equals(request.getEncoded(), der)) {
                throw malformed("the bytes hold more or other than one DER certification request", null);
            }
        } catch (PkiFormatException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw malformed("not a PKCS#10 certification request: " + e.getMessage(), e);
        }

        SubjectPublicKeyInfo keyInfo = request.getSubjectPublicKeyInfo();
        AlgorithmIdentifier keyAlgorithm = keyInfo.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm.getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(keyAlgorithm.getParameters())) {
            throw new PkiFormatException(PkiFormatException.Code.CSR_UNSUPPORTED_KEY,
                    "the request is for a key of algorithm " + keyAlgorithm.getAlgorithm()
                            + "; Charter certifies EC " + EcKeys.CURVE + " keys only: generate a P-256 key");
        }
        if (!ECDSA_WITH_SHA256.getAlgorithm().equals(request.getSignatureAlgorithm().getAlgorithm())
                || !absentOrNull(request.getSignatureAlgorithm().getParameters())) {
            throw new PkiFormatException(PkiFormatException.Code.CSR_UNSUPPORTED_KEY,
                    "the request is signed with " + request.getSignatureAlgorithm().getAlgorithm()
                            + "; sign it with ECDSA and SHA-256");
        }
        PublicKey publicKey;
        X500Principal subject;
        List<String> names;
        byte[] signedBytes;
        byte[] signature;
        try {
            publicKey = EcKeys.publicKeyFromX509(keyInfo.getEncoded(), VERIFIER.provider());
            subject = new X500Principal(request.getSubject().getEncoded(ASN1Encoding.DER));
            names = requestedNames(request);
            signedBytes = request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
            // A signature BIT STRING with unused bits has no octets: Bouncy Castle throws an untyped error for it.
            signature = request.getSignature();
        } catch (InvalidKeySpecException | IOException | RuntimeException e) {
            throw malformed("unreadable key, subject, extension or signature: " + e.getMessage(), e);
        }
        if (!VERIFIER.verify(publicKey, signedBytes, signature)) {
            throw new PkiFormatException(PkiFormatException.Code.CSR_BAD_SIGNATURE,
                    "the request's signature does not verify with the key it carries: it was altered, "
                            + "or signed with another key");
        }
        return new CertificationRequest(der, subject, publicKey, names);
    }

    private static List<String> requestedNames(PKCS10CertificationRequest request) throws UnknownHostException {
        List<String> names = new ArrayList<>();
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            if (attribute.getAttrValues().size() != 1) {
                throw new IllegalArgumentException("an extensionRequest attribute must hold one value");
            }
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            GeneralNames generalNames = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            if (generalNames == null) {
                continue;
            }
            for (GeneralName name : generalNames.getNames()) {
                switch (name.getTagNo()) {
                    case GeneralName.dNSName -> names.add(DERIA5String.getInstance(name.getName()).getString());
                    case GeneralName.iPAddress -> names.add(InetAddress.getByAddress(
                            ASN1OctetString.getInstance(name.getName()).getOctets()).getHostAddress());
                    default -> { } // e-mail, URI...: not something Charter certifies
                }
            }
        }
        return names;
    }

    private static boolean absentOrNull(org.bouncycastle.asn1.ASN1Encodable parameters) {
        return parameters == null || org.bouncycastle.asn1.DERNull.INSTANCE.equals(parameters);
    }

    private static GeneralName generalName(String host) {
        return IPAddress.isValid(host)
                ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host);
    }

    private static PkiFormatException malformed(String message, Throwable cause) {
        return new PkiFormatException(PkiFormatException.Code.CSR_MALFORMED, message, cause);
    }
}
