package io.charter.peer.contract;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs installed contracts: finds the package a definition asks for, loads it once (its own class
 * loader and threads, see {@link LoadedContract}) and keeps it loaded. Thread-safe.
 */
public final class ContractRuntime implements AutoCloseable {

    private final ContractStore store;
    private final ContractRuntimeSettings settings;
    private final Map<String, LoadedContract> loaded = new ConcurrentHashMap<>();

    public ContractRuntime(ContractStore store, ContractRuntimeSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    public ContractStore store() {
        return store;
    }

    public ContractRuntimeSettings settings() {
        return settings;
    }

    /**
     * The loaded contract for a definition: the package {@code packageId} when given, else the most
     * recently installed package of {@code name}; empty when it is not installed here.
     *
     * @throws ContractLoadException when the installed jar cannot be loaded
     */
    public Optional<LoadedContract> contract(String name, String packageId) {
        if (!packageId.isEmpty()) {
            LoadedContract already = loaded.get(packageId);
            if (already != null) {
                return Optional.of(already);
            }
        }
        Optional<ContractPackage> contractPackage = packageId.isEmpty() ? store.latest(name) : store.find(packageId);
        return contractPackage.map(p -> loaded.computeIfAbsent(p.packageId(), id -> LoadedContract.load(p, settings)));
    }

    @Override
    public void close() {
        loaded.values().forEach(LoadedContract::close);
        loaded.clear();
    }
}
