package io.charter.peer.contract;

import com.google.protobuf.ByteString;
import io.charter.common.lifecycle.DefinitionRules;
import io.charter.contract.Context;
import io.charter.contract.Contract;
import io.charter.contract.ContractException;
import io.charter.contract.Transaction;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One installed contract, loaded in a class loader of its own whose parent sees only the JDK and the
 * contract API ({@link ApiOnlyClassLoader}), with its functions discovered and a small thread pool
 * that runs its invocations under a time limit.
 *
 * <p><b>Time limit.</b> Each invocation runs on one of the contract's threads; the caller waits at most
 * the configured timeout from the moment a thread starts it (an invocation still queued when that much time
 * has passed is withdrawn and reported CONTRACT_UNAVAILABLE: the peer is busy), then interrupts the thread and reports CONTRACT_TIMEOUT.
 * Java cannot stop a thread that ignores interruption, so a runaway invocation keeps its thread: the pool
 * grows by one to keep its capacity, and shrinks back when the runaway ends. Once
 * {@code maxAbandonedThreads} threads of the contract are held that way, its invocations are refused
 * (CONTRACT_UNAVAILABLE) until they end or the peer restarts; other contracts are not affected beyond
 * the CPU those threads burn.
 */
public final class LoadedContract implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedContract.class);

    private final ContractPackage contractPackage;
    private final URLClassLoader loader;
    private final Class<?> contractClass;
    private final Map<String, ContractFunction> functions;
    private final ContractRuntimeSettings settings;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger abandoned = new AtomicInteger();

    private LoadedContract(ContractPackage contractPackage, URLClassLoader loader, Class<?> contractClass,
                           Map<String, ContractFunction> functions, ContractRuntimeSettings settings) {
        this.contractPackage = contractPackage;
        this.loader = loader;
        this.contractClass = contractClass;
        this.functions = functions;
        this.settings = settings;
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "contract-" + contractPackage.name() + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = new ThreadPoolExecutor(settings.threadsPerContract(), settings.threadsPerContract(), 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.queueCapacity()), threads);
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Loads the contract of an installed package.
     *
     * @throws ContractLoadException when the jar is not a usable contract
     */
    public static LoadedContract load(ContractPackage contractPackage, ContractRuntimeSettings settings) {
        URLClassLoader loader = classLoader(contractPackage.jar(), contractPackage.packageId());
        try {
            Class<?> contractClass = findContractClass(contractPackage.jar(), loader);
            Map<String, ContractFunction> functions = discoverFunctions(contractClass);
            String name = contractClass.getAnnotation(Contract.class).name();
            if (!name.equals(contractPackage.name())) {
                throw new ContractLoadException("the jar's contract is '" + name + "', not '" + contractPackage.name() + "'");
            }
            return new LoadedContract(contractPackage, loader, contractClass, functions, settings);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        }
    }

    /**
     * Checks that {@code jar} holds exactly one usable contract, and returns its name.
     *
     * @throws ContractLoadException when it does not
     */
    static String inspect(Path jar) {
        URLClassLoader loader = classLoader(jar, "inspection");
        try {
            Class<?> contractClass = findContractClass(jar, loader);
            discoverFunctions(contractClass);
            return contractClass.getAnnotation(Contract.class).name();
        } finally {
            closeQuietly(loader);
        }
    }

    private static URLClassLoader classLoader(Path jar, String name) {
        try {
            return new URLClassLoader("contract:" + name, new URL[] {jar.toUri().toURL()}, ApiOnlyClassLoader.INSTANCE);
        } catch (IOException e) {
            throw new ContractLoadException("cannot open " + jar + ": " + e.getMessage(), e);
        }
    }

    private static Class<?> findContractClass(Path jar, ClassLoader loader) {
        List<Class<?>> found = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            for (JarEntry entry : Collections.list(entries)) {
                String path = entry.getName();
                if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.startsWith("META-INF/")) {
                    continue;
                }
                String className = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                Class<?> type;
                try {
                    type = Class.forName(className, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue; // not loadable here (e.g. refers to what a contract may not see): cannot be the contract
                }
                if (type.isAnnotationPresent(Contract.class)) {
                    found.add(type);
                }
            }
        } catch (IOException e) {
            throw new ContractLoadException("not a jar: " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new ContractLoadException("a contract jar holds exactly one @Contract class, this one " + found.size()
                    + (found.isEmpty() ? "" : " " + found.stream().map(Class::getName).toList()));
        }
        Class<?> type = found.getFirst();
        String name = type.getAnnotation(Contract.class).name();
        if (!DefinitionRules.isValidName(name)) {
            throw new ContractLoadException("'" + name + "' is not a contract name (letters, digits, '.', '_', '-',"
                    + " at most 64, starting with a letter or digit)");
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            throw new ContractLoadException(type.getName() + " must be a public concrete class");
        }
        try {
            if (!Modifier.isPublic(type.getDeclaredConstructor().getModifiers())) {
                throw new ContractLoadException(type.getName() + " needs a public no-argument constructor");
            }
        } catch (NoSuchMethodException e) {
            throw new ContractLoadException(type.getName() + " needs a public no-argument constructor");
        }
        return type;
    }

    private static Map<String, ContractFunction> discoverFunctions(Class<?> type) {
        Map<String, ContractFunction> functions = new LinkedHashMap<>();
        for (Method method : type.getMethods()) {
            Transaction annotation = method.getAnnotation(Transaction.class);
            if (annotation == null) {
                continue;
            }
            String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
            Class<?>[] types = method.getParameterTypes();
            if (types.length == 0 || types[0] != Context.class || Modifier.isStatic(method.getModifiers())) {
                throw new ContractLoadException("function " + name + ": an instance method whose first parameter is a Context");
            }
            List<ContractFunction.Parameter> parameters = new ArrayList<>();
            for (int i = 1; i < types.length; i++) {
                if (types[i] == String.class) {
                    parameters.add(ContractFunction.Parameter.STRING);
                } else if (types[i] == byte[].class) {
                    parameters.add(ContractFunction.Parameter.BYTES);
                } else {
                    throw new ContractLoadException("function " + name + ": parameter " + i + " is " + types[i].getName()
                            + "; arguments are String or byte[]");
                }
            }
            ContractFunction.Result result;
            if (method.getReturnType() == void.class) {
                result = ContractFunction.Result.VOID;
            } else if (method.getReturnType() == String.class) {
                result = ContractFunction.Result.STRING;
            } else if (method.getReturnType() == byte[].class) {
                result = ContractFunction.Result.BYTES;
            } else {
                throw new ContractLoadException("function " + name + " returns " + method.getReturnType().getName()
                        + "; functions return void, String or byte[]");
            }
            if (functions.put(name, new ContractFunction(name, annotation.intent(), method, parameters, result)) != null) {
                throw new ContractLoadException("two functions are named " + name);
            }
        }
        if (functions.isEmpty()) {
            throw new ContractLoadException(type.getName() + " declares no @Transaction function");
        }
        return Collections.unmodifiableMap(functions);
    }

    public String name() {
        return contractPackage.name();
    }

    public ContractPackage contractPackage() {
        return contractPackage;
    }

    public Map<String, ContractFunction> functions() {
        return functions;
    }

    public Optional<ContractFunction> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** Threads held by invocations that timed out and have not ended yet. */
    public int abandonedThreads() {
        return abandoned.get();
    }

    /**
     * Runs {@code function} with {@code context} and {@code args} on one of the contract's threads, for at
     * most the configured timeout. Never throws for what the contract does.
     */
    public InvocationResult invoke(ContractFunction function, Context context, List<ByteString> args) {
        if (args.size() != function.parameters().size()) {
            return new InvocationResult.Failure(ContractFailure.BAD_ARGUMENTS, ContractFailure.BAD_ARGUMENTS.name(),
                    function.name() + " takes " + function.parameters().size() + " arguments, not " + args.size());
        }
        Object[] argv = new Object[args.size() + 1];
        argv[0] = context;
        for (int i = 0; i < args.size(); i++) {
            if (function.parameters().get(i) == ContractFunction.Parameter.BYTES) {
                argv[i + 1] = args.get(i).toByteArray();
            } else {
                try {
                    argv[i + 1] = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(args.get(i).toByteArray()))
                            .toString();
                } catch (CharacterCodingException e) {
                    return new InvocationResult.Failure(ContractFailure.BAD_ARGUMENTS, ContractFailure.BAD_ARGUMENTS.name(),
                            function.name() + ": argument " + (i + 1) + " is not UTF-8");
                }
            }
        }
        if (abandoned.get() >= Math.max(1, settings.maxAbandonedThreads())) {
            return unavailable(abandoned.get() + " threads of " + name() + " are still running invocations that timed out");
        }
        Invocation invocation = new Invocation(function, argv);
        Future<InvocationResult> future;
        try {
            future = executor.submit(invocation);
        } catch (RejectedExecutionException e) {
            return unavailable(name() + " is busy: " + settings.queueCapacity() + " invocations are waiting");
        }
        long timeoutNanos = settings.invocationTimeout().toNanos();
        try {
            // The time limit counts from the moment a thread starts the invocation, not from submission:
            // time spent queued behind other invocations is the peer being busy, not the contract being slow.
            long waitNanos = timeoutNanos;
            while (true) {
                try {
                    return future.get(waitNanos, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    OptionalLong startedAt = invocation.startedAt();
                    if (startedAt.isEmpty()) {
                        if (invocation.withdrawIfQueued()) {
                            future.cancel(false);
                            return unavailable(name() + " is busy: " + function.name() + " waited "
                                    + settings.invocationTimeout().toMillis() + " ms in the queue without starting");
                        }
                        waitNanos = timeoutNanos;
                        continue;
                    }
                    long remaining = timeoutNanos - (System.nanoTime() - startedAt.getAsLong());
                    if (remaining > 0) {
                        waitNanos = remaining;
                        continue;
                    }
                    throw e;
                }
            }
        } catch (TimeoutException e) {
            boolean running = invocation.abandon();
            future.cancel(true);
            if (running) {
                LOG.warn("contract {}: {} ran past {} and was interrupted", contractPackage.packageId(), function.name(),
                        settings.invocationTimeout());
            }
            return new InvocationResult.Failure(ContractFailure.CONTRACT_TIMEOUT, ContractFailure.CONTRACT_TIMEOUT.name(),
                    function.name() + " did not finish within " + settings.invocationTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation.abandon();
            future.cancel(true);
            return unavailable("interrupted while waiting for " + function.name());
        }
    }

    private static InvocationResult unavailable(String message) {
        return new InvocationResult.Failure(ContractFailure.CONTRACT_UNAVAILABLE, ContractFailure.CONTRACT_UNAVAILABLE.name(), message);
    }

    static InvocationResult.Failure failure(Throwable thrown) {
        if (thrown instanceof ContractException contractException) {
            return new InvocationResult.Failure(ContractFailure.CONTRACT_ERROR, contractException.code(),
                    String.valueOf(contractException.getMessage()));
        }
        return new InvocationResult.Failure(ContractFailure.CONTRACT_ERROR, "UNEXPECTED_ERROR",
                thrown.getClass().getName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()));
    }

    private void resizePool(int delta) {
        synchronized (executor) {
            int size = executor.getCorePoolSize() + delta;
            if (delta > 0) {
                executor.setMaximumPoolSize(size);
                executor.setCorePoolSize(size);
            } else {
                executor.setCorePoolSize(size);
                executor.setMaximumPoolSize(size);
            }
        }
    }

    /** One invocation; knows whether it was abandoned by its caller while it ran. */
    private final class Invocation implements Callable<InvocationResult> {
        private final ContractFunction function;
        private final Object[] argv;
        private boolean started;
        private long startedNanos;
        private boolean withdrawn;
        private boolean finished;
        private boolean abandonedWhileRunning;

        Invocation(ContractFunction function, Object[] argv) {
            this.function = function;
            this.argv = argv;
        }

        synchronized OptionalLong startedAt() {
            return started ? OptionalLong.of(startedNanos) : OptionalLong.empty();
        }

        /** Withdraws a queued invocation so that no thread runs it; false when a thread already started it. */
        synchronized boolean withdrawIfQueued() {
            if (!started) {
                withdrawn = true;
            }
            return withdrawn;
        }

        /**
         * Marks the invocation abandoned; true when it is running now, so it holds its thread until it
         * notices the interruption (or never): the pool gets one more thread meanwhile.
         */
        synchronized boolean abandon() {
            if (started && !finished && !abandonedWhileRunning) {
                abandonedWhileRunning = true;
                abandoned.incrementAndGet();
                resizePool(+1);
            }
            return abandonedWhileRunning;
        }

        @Override
        public InvocationResult call() {
            synchronized (this) {
                if (withdrawn) {
                    return unavailable("withdrawn while queued");
                }
                started = true;
                startedNanos = System.nanoTime();
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                Object instance = contractClass.getDeclaredConstructor().newInstance();
                Object returned = function.method().invoke(instance, argv);
                byte[] payload = switch (function.result()) {
                    case VOID -> new byte[0];
                    case STRING -> returned == null ? new byte[0] : ((String) returned).getBytes(StandardCharsets.UTF_8);
                    case BYTES -> returned == null ? new byte[0] : ((byte[]) returned).clone();
                };
                return new InvocationResult.Success(payload);
            } catch (InvocationTargetException e) {
                return failure(e.getCause());
            } catch (Throwable e) {
                return failure(e);
            } finally {
                thread.setContextClassLoader(previous);
                Thread.interrupted();
                boolean release;
                synchronized (this) {
                    finished = true;
                    release = abandonedWhileRunning;
                }
                if (release) {
                    abandoned.decrementAndGet();
                    resizePool(-1);
                    LOG.info("contract {}: an invocation of {} that timed out has ended; {} thread(s) still held",
                            contractPackage.packageId(), function.name(), abandoned.get());
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        closeQuietly(loader);
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("closing a contract class loader: {}", e.getMessage());
        }
    }
}
