package io.charter.peer.testing;

import io.charter.common.crypto.EcdsaSigner;
import io.charter.common.testing.TestPki;
import io.charter.peer.contract.ContractRuntime;
import io.charter.peer.contract.ContractRuntimeSettings;
import io.charter.peer.contract.ContractStore;
import io.charter.peer.endorsement.Endorser;
import io.charter.peer.endorsement.EndorserSettings;
import io.charter.peer.endorsement.EndorsingChannel;
import io.charter.peer.endorsement.SigningIdentity;
import io.charter.peer.ledger.PostgresLedger;
import io.charter.peer.lifecycle.ContractDefinitions;
import io.charter.peer.validation.BlockCommitter;
import io.charter.peer.validation.BlockValidator;
import io.charter.peer.validation.ChannelContext;
import io.charter.peer.validation.CurrentConfig;
import io.charter.peer.validation.EndorsementPolicies;
import io.charter.protocol.Block;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A whole peer core on the fixture's channel: ledger, contract definitions (the endorsement policies),
 * validator, committer, installed contracts and endorser, signing as {@code credential}.
 */
public final class ContractPeer implements AutoCloseable {

    public final TestPki.Credential credential;
    public final PostgresLedger ledger;
    public final ChannelContext channel;
    /** The configuration in force, switched by the committer after a config block. */
    public final CurrentConfig config;
    public final ContractDefinitions definitions;
    public final BlockValidator validator;
    public final BlockCommitter committer;
    public final ContractStore store;
    public final ContractRuntime runtime;
    public final Endorser endorser;

    public ContractPeer(DataSource dataSource, ChannelFixture fixture, TestPki.Credential credential, Path dataDir,
                        ContractRuntimeSettings settings) {
        this.credential = credential;
        ledger = new PostgresLedger(dataSource, ChannelFixture.CHANNEL);
        BlockCommitter.commitGenesis(ledger, fixture.genesis);
        Block genesis = ledger.block(0).orElseThrow();
        channel = ChannelContext.of(ChannelContext.configOf(genesis), Clock.systemUTC());
        config = new CurrentConfig(channel, Clock.systemUTC());
        definitions = new ContractDefinitions(() -> config.get().endorsement(), ledger);
        validator = new BlockValidator(config, EndorsementPolicies.definedBy(definitions));
        committer = new BlockCommitter(ledger, validator);
        store = new ContractStore(dataDir.resolve("contracts"));
        runtime = new ContractRuntime(store, settings);
        EndorsingChannel endorsing = new EndorsingChannel(config, ledger, definitions);
        endorser = new Endorser(new SigningIdentity(EcdsaSigner.of(credential.keys()), ChannelFixture.identity(credential)),
                id -> id.equals(ChannelFixture.CHANNEL) ? Optional.of(endorsing) : Optional.empty(),
                runtime, Clock.systemUTC(), EndorserSettings.DEFAULTS);
    }

    @Override
    public void close() {
        runtime.close();
        validator.close();
    }
}
