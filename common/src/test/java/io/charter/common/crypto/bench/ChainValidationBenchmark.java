package io.charter.common.crypto.bench;

import io.charter.common.identity.IdentityValidator;
import io.charter.common.identity.MspDefinition;
import io.charter.common.identity.MspRegistry;
import io.charter.common.identity.ValidationResult;
import io.charter.common.pki.CertificatePurpose;
import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validating a signer's certificate (DER bytes, as carried in a transaction) against its organization:
 * cold (cache disabled: parse, chain signatures, revocation, subject on every call) and cached (a hit:
 * map lookup, time and role checks). The organization has a CRL with 100 entries. Chain signatures are
 * verified on the preferred provider.
 *
 * <p>{@code ./mvnw -B -pl common -Pbench verify -Dbench.args="ChainValidationBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChainValidationBenchmark {

    private byte[] certificate;
    private IdentityValidator cold;
    private IdentityValidator cached;

    @Setup
    public void setUp() throws Exception {
        TestPki pki = TestPki.create("Org1MSP");
        TestPki.Organization org = pki.organization("Org1MSP");
        certificate = org.enroll("peer0", Role.PEER).certificate().getEncoded();
        List<io.charter.common.pki.RevokedCertificate> revoked = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            revoked.add(new io.charter.common.pki.RevokedCertificate(
                    java.math.BigInteger.valueOf(1000 + i), java.time.Instant.now(), 1));
        }
        var crl = org.signingCa().issueCrl(revoked, java.math.BigInteger.ONE, java.time.Instant.now(),
                java.time.Instant.now().plus(java.time.Duration.ofDays(7)));
        MspRegistry registry = new MspRegistry(List.of(new MspDefinition("Org1MSP",
                List.of(pki.root().certificate()), List.of(org.signingCa().certificate()), List.of(crl),
                List.of(), List.of())));
        cold = new IdentityValidator(registry, CertificatePurpose.SIGNING, Clock.systemUTC(), 0);
        cached = new IdentityValidator(registry, CertificatePurpose.SIGNING, Clock.systemUTC(), 10_000);
        if (!validateCold().isValid() || !validateCached().isValid()) {
            throw new IllegalStateException("benchmark certificate does not validate");
        }
    }

    @Benchmark
    public ValidationResult validateCold() {
        return cold.validate("Org1MSP", certificate, Role.PEER);
    }

    @Benchmark
    public ValidationResult validateCached() {
        return cached.validate("Org1MSP", certificate, Role.PEER);
    }
}
