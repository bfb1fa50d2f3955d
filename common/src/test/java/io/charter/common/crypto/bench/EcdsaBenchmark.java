package io.charter.common.crypto.bench;

import io.charter.common.crypto.CryptoProvider;
import io.charter.common.crypto.EcKeys;
import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.crypto.EcdsaVerifier;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ECDSA P-256 / SHA-256 sign and verify of a 1 KiB message (a typical transaction payload), per
 * provider. The public key given to the verifier is the JDK's (as {@code X509Certificate#getPublicKey()}
 * returns it), the way the validator hands keys over on the hot path.
 *
 * <p>{@code ./mvnw -B -pl common -Pbench verify -Dbench.args="EcdsaBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EcdsaBenchmark {

    @Param({"ACCP", "BOUNCY_CASTLE", "SUN_EC"})
    public String provider;

    private KeyPair keys;
    private byte[] message;
    private byte[] signature;
    private EcdsaSigner signer;
    private EcdsaVerifier verifier;
    private PublicKey providerKey;
    private CryptoProvider chosen;

    @Setup
    public void setUp() throws Exception {
        chosen = CryptoProvider.valueOf(provider);
        keys = EcKeys.generate();
        message = new byte[1024];
        new Random(1).nextBytes(message);
        signer = EcdsaSigner.of(keys.getPrivate(), keys.getPublic(), chosen);
        verifier = new EcdsaVerifier(chosen);
        signature = signer.sign(message);
        providerKey = (PublicKey) KeyFactory.getInstance("EC", chosen.jcaProvider()).translateKey(keys.getPublic());
        if (!verifier.verify(keys.getPublic(), message, signature)) {
            throw new IllegalStateException("benchmark signature does not verify");
        }
    }

    @Benchmark
    public byte[] sign() {
        return signer.sign(message);
    }

    /** What Charter does: a per-thread Signature, re-initialized with the key of each call. */
    @Benchmark
    public boolean verify() {
        return verifier.verify(keys.getPublic(), message, signature);
    }

    /** The same with 2 threads sharing the verifier (the machine's core count). */
    @Benchmark
    @Threads(2)
    public boolean verify2Threads() {
        return verifier.verify(keys.getPublic(), message, signature);
    }

    /** Alternative: a new Signature object per call. */
    @Benchmark
    public boolean verifyNewSignaturePerCall() throws Exception {
        Signature verification = Signature.getInstance(EcdsaSigner.ALGORITHM, chosen.jcaProvider());
        verification.initVerify(keys.getPublic());
        verification.update(message);
        return verification.verify(signature);
    }

    /** Alternative: the key already converted to the provider's own class (no per-call translation). */
    @Benchmark
    public boolean verifyProviderNativeKey() {
        return verifier.verify(providerKey, message, signature);
    }
}
