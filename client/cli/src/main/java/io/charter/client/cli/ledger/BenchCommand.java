package io.charter.client.cli.ledger;

import io.charter.client.bench.BenchReport;
import io.charter.client.bench.LoadGenerator;
import io.charter.client.cli.CharterSubcommand;
import io.charter.client.cli.CliException;
import io.charter.client.cli.network.NetworkLayout;
import io.charter.client.cli.network.NetworkStatus;
import io.charter.client.sdk.Contract;
import io.charter.client.sdk.EndorsedTransaction;
import io.charter.client.sdk.Invocation;
import io.charter.client.sdk.Network;
import io.charter.client.sdk.SdkErrorCode;
import io.charter.client.sdk.SdkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code charter bench}: a Caliper-like load generator against the network. */
@Command(name = "bench", description = {"Load the network like Hyperledger Caliper: transactions are endorsed and signed"
        + " before the clock starts, then sent in fixed-backlog or fixed-rate mode; the report has Caliper's columns"
        + " (succeeded, failed, send rate, throughput, min/avg/max latency) plus p50/p95/p99, MVCC-invalid apart.",
        "Example:  charter bench --transactions 5000 --backlog 200   then   charter bench --rate 900"})
public final class BenchCommand extends CharterSubcommand {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Option(names = "--contract", paramLabel = "NAME", defaultValue = "asset-transfer",
            description = "The contract (default: ${DEFAULT-VALUE}).")
    String contract;

    @Option(names = "--function", paramLabel = "NAME", defaultValue = "CreateAsset",
            description = "The function (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--args", paramLabel = "ARGS", defaultValue = "bench-{run}-{i},blue,5,bench,100",
            description = "Its arguments, comma-separated; {i} is the transaction's number, {run} this run's id"
                    + " (default: ${DEFAULT-VALUE}).")
    String argsTemplate;

    @Option(names = "--transient", paramLabel = "NAME=TEMPLATE", description = "Transient data for every transaction"
            + " (Context.transientData(), sent to the endorsers only), split at the first '='; the template takes the"
            + " placeholders of --args, so each transaction carries its own value, e.g. --function CreateAssetPrivately"
            + " --transient appraisedValue=v{i}. Repeatable; at most 64 names and 1 MiB per transaction.")
    List<String> transientTemplates = new ArrayList<>();

    @Option(names = {"-n", "--transactions"}, paramLabel = "N", defaultValue = "2000",
            description = "Transactions measured (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "500",
            description = "Transactions sent first, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--backlog", paramLabel = "K", defaultValue = "128",
            description = "Fixed-backlog mode: transactions kept outstanding (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--rate", paramLabel = "TPS", description = "Fixed-rate mode: send this many per second instead.")
    Double rate;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON to this file.")
    Path report;

    @Mixin
    LedgerOptions ledger;

    @Override
    protected void run() throws Exception {
        if (transactions < 1 || warmup < 0) {
            throw CliException.usage("--transactions must be at least 1 and --warmup not negative");
        }
        LoadGenerator.Mode mode;
        try {
            mode = rate != null ? new LoadGenerator.FixedRate(rate) : new LoadGenerator.FixedBacklog(backlog);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        Map<String, String> transients = transientTemplates(transientTemplates, warmup + transactions);
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (LedgerOptions.Connection connection = ledger.connect(wallet())) {
            Network network = SdkErrors.call(() -> connection.gateway().network(ledger.channel()));
            Contract target = network.contract(contract);
            output().progress("Endorsing and signing " + (warmup + transactions) + " transactions before the clock starts ...");
            long preparing = System.nanoTime();
            List<EndorsedTransaction> prepared = prepare(target, run, transients, warmup + transactions);
            output().progress(String.format("  prepared in %.1f s", (System.nanoTime() - preparing) / 1e9));
            LoadGenerator<EndorsedTransaction> generator = new LoadGenerator<>(tx -> send(network, tx));
            if (warmup > 0) {
                output().progress("Warming up with " + warmup + " transactions ...");
                generator.run(prepared.subList(0, warmup), new LoadGenerator.FixedBacklog(Math.min(backlog, warmup)));
            }
            output().progress("Measuring " + transactions + " transactions, " + (rate != null ? "fixed rate " + rate + "/s"
                    : "fixed backlog " + backlog) + " ...");
            BenchReport result = generator.run(prepared.subList(warmup, prepared.size()), mode);
            Map<String, Object> json = new LinkedHashMap<>(result.json());
            // figures of the local network depend on whether its commits reach the disk (charter up --durable)
            Optional<NetworkStatus> local = NetworkStatus.read(NetworkLayout.under(root().home()).statusFile())
                    .filter(status -> status.state().equals("ready"));
            String durability = local.map(status -> status.durable() ? "durable" : "fast").orElse("not the local network");
            json.put("localNetworkDurability", durability);
            if (report != null) {
                try {
                    Files.writeString(report, JSON.writeValueAsString(json));
                } catch (IOException e) {
                    throw CliException.usage("cannot write --report " + report + ": " + e.getMessage());
                }
            }
            output().result(json, result.text() + "local network durability: " + durability + local.map(status ->
                    status.durable() ? " (fsync and synchronous commits)"
                            : " (no fsync, asynchronous commits: 'charter up --durable' syncs every commit)").orElse(""));
        }
    }

    /** {@code template} with {@code {run}} and {@code {i}} replaced: the same placeholders for --args and --transient. */
    static String expand(String template, String run, int i) {
        return template.replace("{run}", run).replace("{i}", Integer.toString(i));
    }

    /**
     * The {@code --transient NAME=TEMPLATE} options as names to templates, in their order, checked as
     * {@code charter invoke --transient} checks its entries (code {@value TransientOptions#CODE}, exit 1, no value
     * quoted): each has '=' and a name, a name is given once, at most {@value TransientOptions#MAX_ENTRIES} names, and
     * the longest transaction's data ({@code {i}} at {@code count - 1}, a run id of 8 characters) within 1 MiB.
     */
    static Map<String, String> transientTemplates(List<String> options, int count) {
        Map<String, String> templates = new LinkedHashMap<>();
        long longest = 0;
        for (int i = 0; i < options.size(); i++) {
            Map.Entry<String, byte[]> entry = TransientOptions.pair(options.get(i), i + 1);
            String name = entry.getKey();
            if (templates.containsKey(name)) {
                throw TransientOptions.bad("--transient number " + (i + 1) + ": the name '"
                        + io.charter.client.cli.Output.printable(name.length() > 64 ? name.substring(0, 64) + "..." : name)
                        + "' is given twice");
            }
            if (templates.size() == TransientOptions.MAX_ENTRIES) {
                throw TransientOptions.bad("more than " + TransientOptions.MAX_ENTRIES + " transient entries");
            }
            String template = options.get(i).substring(name.length() + 1);
            templates.put(name, template);
            longest += utf8Length(name) + utf8Length(expand(template, "r".repeat(8), Math.max(0, count - 1)));
        }
        if (longest > TransientOptions.MAX_BYTES) {
            throw TransientOptions.bad("the transient data of a transaction is larger than 1 MiB (names and values,"
                    + " UTF-8)");
        }
        return Collections.unmodifiableMap(templates);
    }

    /** Transaction {@code i}'s transient data: each template expanded, as UTF-8. */
    static Map<String, byte[]> transientData(Map<String, String> templates, String run, int i) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        templates.forEach((name, template) -> data.put(name,
                expand(template, run, i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return data;
    }

    private static long utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private List<EndorsedTransaction> prepare(Contract target, String run, Map<String, String> transients, int count)
            throws Exception {
        List<Future<EndorsedTransaction>> futures = new ArrayList<>();
        Semaphore parallel = new Semaphore(32);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String[] args = expand(argsTemplate, run, i).split(",", -1);
                Invocation invocation = Invocation.of(function, args).withTransient(transientData(transients, run, i));
                parallel.acquire();
                futures.add(threads.submit(() -> {
                    try {
                        return target.endorse(invocation);
                    } finally {
                        parallel.release();
                    }
                }));
            }
        }
        List<EndorsedTransaction> prepared = new ArrayList<>();
        for (Future<EndorsedTransaction> future : futures) {
            try {
                prepared.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SdkException sdk) {
                    throw SdkErrors.translate(sdk);
                }
                throw e;
            }
        }
        return Collections.unmodifiableList(prepared);
    }

    private static LoadGenerator.Outcome send(Network network, EndorsedTransaction transaction) {
        try {
            network.submit(transaction);
            return LoadGenerator.Outcome.SUCCEEDED;
        } catch (SdkException e) {
            return e.code() == SdkErrorCode.MVCC_READ_CONFLICT || e.code() == SdkErrorCode.PHANTOM_READ_CONFLICT
                    ? LoadGenerator.Outcome.MVCC_INVALID : LoadGenerator.Outcome.FAILED;
        }
    }
}
