package io.charter.common.pki;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * Identity attributes for attribute-based access control, carried in a non-critical certificate
 * extension as a DER {@code SEQUENCE OF SEQUENCE { name UTF8String, value UTF8String }} sorted by name.
 *
 * <p>The OID lives under the {@code 2.25} arc (a UUID turned into an OID, ITU-T X.667), which needs no
 * registration and cannot collide with anyone else's extension.
 */
public final class CertificateAttributes {

    public static final ASN1ObjectIdentifier EXTENSION_OID =
            new ASN1ObjectIdentifier("2.25.167367596269071354151487324201706278690");

    private CertificateAttributes() {}

    static DERSequence encode(Map<String, String> attributes) {
        ASN1EncodableVector entries = new ASN1EncodableVector();
        new TreeMap<>(attributes).forEach((name, value) ->
                entries.add(new DERSequence(new DERUTF8String[] {new DERUTF8String(name), new DERUTF8String(value)})));
        return new DERSequence(entries);
    }

    /**
     * Reads the attributes of {@code certificate}: empty map when it has no attribute extension,
     * empty Optional when the extension is present but not well-formed.
     */
    public static Optional<Map<String, String>> read(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(EXTENSION_OID.getId());
        if (extension == null) {
            return Optional.of(Map.of());
        }
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
            Map<String, String> attributes = new TreeMap<>();
            for (var entry : ASN1Sequence.getInstance(inner)) {
                ASN1Sequence pair = ASN1Sequence.getInstance(entry);
                if (pair.size() != 2) {
                    return Optional.empty();
                }
                attributes.put(
                        DERUTF8String.getInstance(pair.getObjectAt(0)).getString(),
                        DERUTF8String.getInstance(pair.getObjectAt(1)).getString());
            }
            return Optional.of(Map.copyOf(attributes));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
