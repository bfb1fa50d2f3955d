package io.charter.peer.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.charter.contract.Context;
import io.charter.contract.Transaction;
import io.charter.peer.testing.TestContracts;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract runtime without a ledger: installation, class-loader isolation, errors and time limits. */
class ContractRuntimeTest {

    private static final ContractRuntimeSettings SETTINGS =
            new ContractRuntimeSettings(Duration.ofMillis(500), 2, 8, 2);

    @TempDir
    static Path dataDir;
    private static ContractStore store;
    private static ContractRuntime runtime;
    private static LoadedContract rogue;
    private static final Map<String, String> writes = new ConcurrentHashMap<>();

    @BeforeAll
    static void install() {
        store = new ContractStore(dataDir.resolve("contracts"));
        runtime = new ContractRuntime(store, SETTINGS);
        ContractPackage installed = store.install(TestContracts.compile(Map.of("rogue.Rogue", TestContracts.ROGUE)));
        rogue = runtime.contract("rogue", installed.packageId()).orElseThrow();
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    /** A Context that records putString and answers nothing else. */
    private static Context context() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("putString")) {
                writes.put((String) args[0], (String) args[1]);
                return null;
            }
            if (method.getName().equals("put")) {
                throw new io.charter.contract.ContractException("INVALID_KEY", "stub");
            }
            return null;
        };
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class}, handler);
    }

    private static InvocationResult invoke(String function, String... args) {
        return rogue.invoke(rogue.function(function).orElseThrow(), context(),
                java.util.Arrays.stream(args).map(ByteString::copyFromUtf8).toList());
    }

    private static InvocationResult.Failure failure(String function, String... args) {
        InvocationResult result = invoke(function, args);
        assertThat(result).isInstanceOf(InvocationResult.Failure.class);
        return (InvocationResult.Failure) result;
    }

    @Test
    void installsIdempotentlyUnderNameAndHash() throws Exception {
        byte[] jar = TestContracts.assetTransferJar();
        ContractPackage first = store.install(jar);
        ContractPackage again = store.install(jar);
        assertThat(again).isEqualTo(first);
        assertThat(first.name()).isEqualTo("asset-transfer");
        assertThat(first.packageId()).matches("asset-transfer:[0-9a-f]{64}").isEqualTo("asset-transfer:" + ContractStore.sha256(jar));
        assertThat(Files.readAllBytes(first.jar())).isEqualTo(jar);
        assertThat(store.list()).extracting(ContractPackage::name).contains("asset-transfer", "rogue");
        assertThat(store.latest("asset-transfer")).contains(first);
        LoadedContract sample = runtime.contract("asset-transfer", first.packageId()).orElseThrow();
        assertThat(sample.functions()).containsKeys("CreateAsset", "ReadAsset", "TransferAsset", "QueryAssetsByOwner");
        assertThat(sample.function("ReadAsset").orElseThrow().intent()).isEqualTo(Transaction.Intent.EVALUATE);
        assertThat(runtime.contract("asset-transfer", "asset-transfer:" + "0".repeat(64))).isEmpty();
    }

    @Test
    void refusesJarsThatAreNotOneContract() {
        assertThatThrownBy(() -> store.install("not a jar".getBytes())).isInstanceOf(ContractLoadException.class);
        byte[] none = TestContracts.compile(Map.of("x.Plain", "package x; public class Plain {}"));
        assertThatThrownBy(() -> store.install(none)).isInstanceOf(ContractLoadException.class).hasMessageContaining("exactly one");
        byte[] badParameter = TestContracts.compile(Map.of("x.Bad", """
                package x;
                import io.charter.contract.*;
                @Contract(name = "bad")
                public class Bad {
                    @Transaction public void f(Context ctx, int n) {}
                }
                """));
        assertThatThrownBy(() -> store.install(badParameter)).isInstanceOf(ContractLoadException.class)
                .hasMessageContaining("String or byte[]");
        byte[] reserved = TestContracts.compile(Map.of("x.Reserved", """
                package x;
                import io.charter.contract.*;
                @Contract(name = "_lifecycle")
                public class Reserved {
                    @Transaction public void f(Context ctx) {}
                }
                """));
        assertThatThrownBy(() -> store.install(reserved)).isInstanceOf(ContractLoadException.class);
        assertThat(store.list()).extracting(ContractPackage::name).doesNotContain("bad", "_lifecycle");
    }

    @Test
    void runsFunctionsWithTheCallingConvention() {
        assertThat(invoke("Echo", "héllo")).isInstanceOfSatisfying(InvocationResult.Success.class,
                s -> assertThat(new String(s.payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("héllo"));
        assertThat(failure("Echo").failure()).isEqualTo(ContractFailure.BAD_ARGUMENTS);
        assertThat(rogue.invoke(rogue.function("Echo").orElseThrow(), context(),
                List.of(ByteString.copyFrom(new byte[] {(byte) 0xC3})))).isInstanceOfSatisfying(InvocationResult.Failure.class,
                f -> assertThat(f.failure()).isEqualTo(ContractFailure.BAD_ARGUMENTS));
        assertThat(rogue.function("NoSuchFunction")).isEmpty();
    }

    @Test
    void contractErrorsKeepTheirCodeAndMessage() {
        InvocationResult.Failure nope = failure("Throw");
        assertThat(nope.failure()).isEqualTo(ContractFailure.CONTRACT_ERROR);
        assertThat(nope.code()).isEqualTo("NOPE");
        assertThat(nope.message()).isEqualTo("the contract said no");
        InvocationResult.Failure crash = failure("Crash");
        assertThat(crash.code()).isEqualTo("UNEXPECTED_ERROR");
        assertThat(crash.message()).startsWith("java.lang.NullPointerException");
    }

    @Test
    void aContractCannotLoadThePeersClasses() {
        InvocationResult.Failure reach = failure("ReachPeer");
        assertThat(reach.failure()).isEqualTo(ContractFailure.CONTRACT_ERROR);
        assertThat(reach.message()).startsWith("java.lang.ClassNotFoundException: io.charter.peer.ledger.PostgresLedger");
        // the peer itself of course sees it
        assertThat(io.charter.peer.ledger.PostgresLedger.class.getName()).isEqualTo("io.charter.peer.ledger.PostgresLedger");
    }

    @Test
    void aLoopIsInterruptedAtTheTimeLimitAndTheContractGoesOn() {
        InvocationResult.Failure spin = failure("Spin");
        assertThat(spin.failure()).isEqualTo(ContractFailure.CONTRACT_TIMEOUT);
        assertThat(spin.message()).contains("500 ms");
        assertThat(invoke("Echo", "still here")).isInstanceOf(InvocationResult.Success.class);
    }

    @Test
    void theTimeLimitCountsFromTheStartNotFromTheQueue() throws Exception {
        // One thread, a 1 s limit: two 600 ms invocations run back to back (0-0.6 s, 0.6-1.2 s), so the second
        // waits 0.6 s in the queue and finishes 1.2 s after it was submitted, within its own limit.
        ContractRuntimeSettings oneThread = new ContractRuntimeSettings(Duration.ofSeconds(1), 1, 8, 2);
        LoadedContract single = LoadedContract.load(store.find(rogue.contractPackage().packageId()).orElseThrow(), oneThread);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var stubborn = single.function("Stubborn").orElseThrow();
            List<ByteString> sixHundredMillis = List.of(ByteString.copyFromUtf8("600"));
            var first = pool.submit(() -> single.invoke(stubborn, context(), sixHundredMillis));
            var second = pool.submit(() -> single.invoke(stubborn, context(), sixHundredMillis));
            var echo = pool.submit(() -> single.invoke(single.function("Echo").orElseThrow(), context(),
                    List.of(ByteString.copyFromUtf8("queued"))));
            assertThat(first.get()).isInstanceOf(InvocationResult.Success.class);
            assertThat(second.get()).isInstanceOf(InvocationResult.Success.class);
            // Queued behind 1.2 s of work it either ran (the queue drained in time) or was withdrawn as busy,
            // never reported as a contract that ran out of time.
            InvocationResult echoed = echo.get();
            if (echoed instanceof InvocationResult.Failure failure) {
                assertThat(failure.failure()).isEqualTo(ContractFailure.CONTRACT_UNAVAILABLE);
                assertThat(failure.message()).contains("queue");
            }
        } finally {
            pool.shutdownNow();
            single.close();
        }
    }

    @Test
    void aContractThatIgnoresInterruptsHoldsABoundedNumberOfThreads() throws Exception {
        LoadedContract stubborn = LoadedContract.load(store.find(rogue.contractPackage().packageId()).orElseThrow(), SETTINGS);
        try {
            var function = stubborn.function("Stubborn").orElseThrow();
            List<ByteString> threeSeconds = List.of(ByteString.copyFromUtf8("3000"));
            assertThat(((InvocationResult.Failure) stubborn.invoke(function, context(), threeSeconds)).failure())
                    .isEqualTo(ContractFailure.CONTRACT_TIMEOUT);
            assertThat(stubborn.abandonedThreads()).isEqualTo(1);
            // the pool grew to keep its capacity: the contract still answers
            assertThat(stubborn.invoke(stubborn.function("Echo").orElseThrow(), context(), List.of(ByteString.copyFromUtf8("x"))))
                    .isInstanceOf(InvocationResult.Success.class);
            assertThat(((InvocationResult.Failure) stubborn.invoke(function, context(), threeSeconds)).failure())
                    .isEqualTo(ContractFailure.CONTRACT_TIMEOUT);
            assertThat(stubborn.abandonedThreads()).isEqualTo(2);
            // two runaway threads (maxAbandonedThreads = 2): refused until they end
            InvocationResult refused = stubborn.invoke(stubborn.function("Echo").orElseThrow(), context(), List.of(ByteString.copyFromUtf8("x")));
            assertThat(((InvocationResult.Failure) refused).failure()).isEqualTo(ContractFailure.CONTRACT_UNAVAILABLE);
            // the other loaded instance of the same package is unaffected
            assertThat(invoke("Echo", "other")).isInstanceOf(InvocationResult.Success.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (stubborn.abandonedThreads() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(stubborn.abandonedThreads()).isZero();
            assertThat(stubborn.invoke(stubborn.function("Echo").orElseThrow(), context(), List.of(ByteString.copyFromUtf8("x"))))
                    .isInstanceOf(InvocationResult.Success.class);
        } finally {
            stubborn.close();
        }
    }
}
