package io.charter.orderer.channel;

import com.google.protobuf.ByteString;
import io.charter.common.crypto.Signer;
import io.charter.protocol.SerializedIdentity;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/** The identity an orderer signs blocks with: its MSP id, signing certificate and signer. */
public record OrdererIdentity(String mspId, X509Certificate certificate, Signer signer) {

    /** The serialized SerializedIdentity (certificate in DER) that block signatures carry as creator. */
    public ByteString serialized() {
        try {
            return SerializedIdentity.newBuilder()
                    .setMspId(mspId)
                    .setCertificate(ByteString.copyFrom(certificate.getEncoded()))
                    .build()
                    .toByteString();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the orderer certificate", e);
        }
    }
}
