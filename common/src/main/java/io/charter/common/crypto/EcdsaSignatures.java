package io.charter.common.crypto;

import java.math.BigInteger;
import java.util.Optional;

/**
 * DER-encoded ECDSA P-256 signatures: {@code SEQUENCE { r INTEGER, s INTEGER }}.
 *
 * <p>For every valid signature {@code (r, s)}, {@code (r, n - s)} is valid too. Charter's signers always
 * emit the "low-S" form ({@code s <= n/2}, as Bitcoin and Fabric do) so that a signature has one encoding;
 * a verifier may insist on it ({@link EcdsaVerifier#requiringLowS}).
 */
public final class EcdsaSignatures {

    private static final BigInteger HALF_ORDER = EcKeys.P256_ORDER.shiftRight(1);

    private EcdsaSignatures() {}

    /** The two integers of a strictly DER-encoded signature, empty when the bytes are not one. */
    public static Optional<BigInteger[]> decode(byte[] der) {
        if (der == null || der.length < 8 || der[0] != 0x30) {
            return Optional.empty();
        }
        int length = der[1] & 0xff;
        if (length >= 0x80 || length != der.length - 2) {
            return Optional.empty(); // P-256 signatures are at most 72 bytes: always the short length form
        }
        int[] position = {2};
        BigInteger r = readInteger(der, position);
        BigInteger s = r == null ? null : readInteger(der, position);
        if (s == null || position[0] != der.length) {
            return Optional.empty();
        }
        return Optional.of(new BigInteger[] {r, s});
    }

    /** Encodes {@code (r, s)} in DER. */
    public static byte[] encode(BigInteger r, BigInteger s) {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        int bodyLength = 2 + rBytes.length + 2 + sBytes.length;
        byte[] der = new byte[2 + bodyLength];
        der[0] = 0x30;
        der[1] = (byte) bodyLength;
        der[2] = 0x02;
        der[3] = (byte) rBytes.length;
        System.arraycopy(rBytes, 0, der, 4, rBytes.length);
        int sAt = 4 + rBytes.length;
        der[sAt] = 0x02;
        der[sAt + 1] = (byte) sBytes.length;
        System.arraycopy(sBytes, 0, der, sAt + 2, sBytes.length);
        return der;
    }

    /** Whether {@code der} is a well-formed signature with {@code 0 < s <= n/2}. */
    public static boolean isLowS(byte[] der) {
        return decode(der).map(rs -> rs[1].signum() > 0 && rs[1].compareTo(HALF_ORDER) <= 0).orElse(false);
    }

    /**
     * The low-S form of {@code der}: the same array when it already is, a new encoding with
     * {@code s = n - s} otherwise. Malformed input is returned unchanged (verification will reject it).
     */
    public static byte[] toLowS(byte[] der) {
        Optional<BigInteger[]> decoded = decode(der);
        if (decoded.isEmpty()) {
            return der;
        }
        BigInteger s = decoded.get()[1];
        if (s.compareTo(HALF_ORDER) <= 0) {
            return der;
        }
        return encode(decoded.get()[0], EcKeys.P256_ORDER.subtract(s));
    }

    /** Reads one minimally encoded, positive DER INTEGER of at most 33 bytes; null when malformed. */
    private static BigInteger readInteger(byte[] der, int[] position) {
        int at = position[0];
        if (at + 2 > der.length || der[at] != 0x02) {
            return null;
        }
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        if (length == 0 || length > 33 || start + length > der.length) {
            return null;
        }
        if (der[start] < 0) {
            return null; // negative
        }
        if (length > 1 && der[start] == 0 && der[start + 1] >= 0) {
            return null; // not minimal
        }
        position[0] = start + length;
        BigInteger value = new BigInteger(1, der, start, length);
        return value.signum() > 0 && value.compareTo(EcKeys.P256_ORDER) < 0 ? value : null;
    }
}
