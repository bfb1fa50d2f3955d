package io.charter.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import io.charter.common.crypto.EcKeys;
import io.charter.common.testing.TestPki;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Whatever bytes or text arrive (from the network, a file, an HTTP body), the parsers either return a
 * value or throw {@link PkiFormatException}: never another exception that would escape as a 500 or kill
 * a handler. Random bytes test the outer checks; mutations of valid encodings reach the inner ones.
 */
class ParsersNeverThrowUntypedTest {

    private static final TestPki PKI = TestPki.create("Org1MSP");
    private static final byte[] CERTIFICATE;
    private static final byte[] CRL;
    private static final byte[] CSR = CertificationRequests.create(
            SubjectName.of("peer0", "Org1MSP", Role.PEER), EcKeys.generate(), List.of("localhost", "127.0.0.1")).encoded();
    private static final byte[] KEY = EcKeys.generate().getPrivate().getEncoded();

    static {
        try {
            var org = PKI.organization("Org1MSP");
            CERTIFICATE = org.enroll("peer0", Role.PEER).certificate().getEncoded();
            CRL = org.signingCa().issueCrl(List.of(new RevokedCertificate(BigInteger.TEN, Instant.now(), 1)),
                    BigInteger.ONE, Instant.now(), Instant.now().plus(Duration.ofDays(1))).getEncoded();
        } catch (CertificateEncodingException | CRLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final List<Consumer<byte[]>> BYTE_PARSERS = List.of(
            Certificates::parseCertificate,
            Certificates::parseCrl,
            CertificationRequests::parse,
            bytes -> Pem.decodePrivateKey(Pem.encode(Pem.PRIVATE_KEY, bytes)),
            bytes -> Pem.decodeAll(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)));

    @Test
    void randomBytesOnlyEverGiveTheTypedError() {
        Gen<byte[]> randomBytes = Generate.byteArrays(integers().between(0, 600), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        qt().withExamples(300).forAll(randomBytes).checkAssert(ParsersNeverThrowUntypedTest::feedToEveryParser);
    }

    @Test
    void randomBytesBehindASequenceHeaderOnlyEverGiveTheTypedError() {
        Gen<byte[]> sequences = Generate.byteArrays(integers().between(2, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .map(bytes -> {
                    bytes[0] = 0x30;
                    bytes[1] = (byte) Math.min(bytes.length - 2, 0x7f);
                    return bytes;
                });
        qt().withExamples(300).forAll(sequences).checkAssert(ParsersNeverThrowUntypedTest::feedToEveryParser);
    }

    @Test
    void mutatedValidEncodingsOnlyEverGiveTheTypedError() {
        Gen<List<Integer>> mutations = lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 6);
        Gen<Integer> truncation = integers().between(0, 40);
        qt().withExamples(400).forAll(mutations, truncation).checkAssert((positions, cut) -> {
            for (byte[] valid : List.of(CERTIFICATE, CRL, CSR, KEY)) {
                byte[] mutated = java.util.Arrays.copyOf(valid, Math.max(1, valid.length - (cut > 30 ? cut : 0)));
                for (int position : positions) {
                    mutated[position % mutated.length] ^= (byte) (1 + (position >>> 20) % 255);
                }
                feedToEveryParser(mutated);
            }
        });
    }

    @Test
    void randomTextOnlyEverGivesTheTypedError() {
        Gen<String> pemish = strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(0, 200)
                .map(s -> "-----BEGIN CERTIFICATE-----\n" + s + "\n-----END CERTIFICATE-----\n");
        qt().withExamples(300).forAll(pemish).checkAssert(text -> {
            parseQuietly(() -> Pem.decodeCertificates(text));
            parseQuietly(() -> Pem.decodeCsr(text.replace("CERTIFICATE", "CERTIFICATE REQUEST")));
        });
    }

    private static void feedToEveryParser(byte[] bytes) {
        for (Consumer<byte[]> parser : BYTE_PARSERS) {
            parseQuietly(() -> parser.accept(bytes.clone()));
        }
    }

    private static void parseQuietly(Runnable parse) {
        try {
            parse.run();
        } catch (PkiFormatException expected) {
            assertThat(expected.code()).isNotNull();
        }
    }
}
