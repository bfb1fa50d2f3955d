package io.charter.orderer.channel;

import io.charter.common.config.ChannelTrust;
import io.charter.common.crypto.SignatureVerifier;
import io.charter.orderer.consensus.FetchedBlockRefusal;
import io.charter.orderer.consensus.FetchedBlockVerifier;
import io.charter.protocol.Block;
import io.charter.protocol.ChannelConfig;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks a fetched block against the configuration in force at it: the configuration this orderer
 * applied from the last config block it stored (the channel's {@code config()} and {@code
 * configBlock()}, which a fetched config block changes when it is appended, exactly as on the normal
 * path). In order:
 *
 * <ol>
 *   <li>{@code last_config_block} names the block itself when it is a config block, else the config
 *       block in force (peers pick the configuration that validates the block by it);
 *   <li>the orderer signatures satisfy the {@code BlockValidation} policy of the configuration in
 *       force ({@link ChannelTrust#ordererSignatureProblem}, the check peers make); a config block is
 *       signed under the configuration before it;
 *   <li>a config block's configuration is for this channel, has the next sequence and is usable
 *       (certificates, CRLs and policies parse).
 * </ol>
 */
final class ConfigBoundBlockVerifier implements FetchedBlockVerifier {

    /** The configuration in force and the number of the block that carried it. */
    record ConfigInForce(ChannelConfig config, long block) {}

    private final Supplier<ConfigInForce> inForce;
    private final SignatureVerifier verifier;
    private volatile Cached cached;

    private record Cached(ChannelConfig config, ChannelTrust trust) {}

    ConfigBoundBlockVerifier(Supplier<ConfigInForce> inForce, SignatureVerifier verifier) {
        this.inForce = inForce;
        this.verifier = verifier;
    }

    @Override
    public Optional<FetchedBlockRefusal> refusal(Block block) {
        ConfigInForce current = inForce.get();
        long number = block.getHeader().getNumber();
        Optional<ChannelConfig> carried = number == 0 ? Optional.empty() : ConfigBlocks.configOf(block);
        long expectedLastConfig = carried.isPresent() ? number : current.block();
        long lastConfig = block.getMetadata().getLastConfigBlock();
        if (lastConfig != expectedLastConfig) {
            return refuse(FetchedBlockRefusal.Reason.LAST_CONFIG_MISMATCH, "block " + number + " names block " + lastConfig
                    + " as its last config block, expected " + expectedLastConfig);
        }
        ChannelTrust trust;
        try {
            trust = trust(current.config());
        } catch (IllegalArgumentException e) {
            return refuse(FetchedBlockRefusal.Reason.BAD_CONFIG, "the configuration in force (block " + current.block()
                    + ") is not usable: " + e.getMessage());
        }
        Optional<String> signatures = trust.ordererSignatureProblem(block, verifier);
        if (signatures.isPresent()) {
            return refuse(FetchedBlockRefusal.Reason.BAD_ORDERER_SIGNATURES, "block " + number + " (configuration of block "
                    + current.block() + "): " + signatures.get());
        }
        if (carried.isPresent()) {
            return configProblem(number, current.config(), carried.get());
        }
        return Optional.empty();
    }

    private static Optional<FetchedBlockRefusal> configProblem(long number, ChannelConfig current, ChannelConfig next) {
        if (!next.getChannelId().equals(current.getChannelId())) {
            return refuse(FetchedBlockRefusal.Reason.BAD_CONFIG, "config block " + number + " is for channel '"
                    + next.getChannelId() + "'");
        }
        if (next.getSequence() != current.getSequence() + 1) {
            return refuse(FetchedBlockRefusal.Reason.BAD_CONFIG, "config block " + number + " has sequence "
                    + next.getSequence() + ", expected " + (current.getSequence() + 1));
        }
        try {
            ChannelTrust.of(next);
        } catch (IllegalArgumentException e) {
            return refuse(FetchedBlockRefusal.Reason.BAD_CONFIG, "config block " + number + " is not usable: "
                    + e.getMessage());
        }
        return Optional.empty();
    }

    private ChannelTrust trust(ChannelConfig config) {
        Cached current = cached;
        if (current != null && current.config() == config) {
            return current.trust();
        }
        ChannelTrust trust = ChannelTrust.of(config);
        cached = new Cached(config, trust);
        return trust;
    }

    private static Optional<FetchedBlockRefusal> refuse(FetchedBlockRefusal.Reason reason, String detail) {
        return Optional.of(new FetchedBlockRefusal(reason, detail));
    }
}
