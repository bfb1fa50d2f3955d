package io.charter.peer.endorsement;

import java.time.Duration;
import java.util.Objects;

/**
 * @param proposalWindow how far a proposal's timestamp may be from the peer's clock, and how long the
 *     peer remembers the tx ids it was asked to endorse (replays inside the window are refused; older
 *     proposals are refused as stale). Default 15 minutes.
 * @param maxRememberedProposals the most tx ids remembered; when more arrive within the window the
 *     oldest are forgotten early (a replay of those is still stopped at commit by DUPLICATE_TXID).
 *     Default 100,000.
 */
public record EndorserSettings(Duration proposalWindow, int maxRememberedProposals) {

    public static final EndorserSettings DEFAULTS = new EndorserSettings(Duration.ofMinutes(15), 100_000);

    public EndorserSettings {
        Objects.requireNonNull(proposalWindow, "proposalWindow");
        if (proposalWindow.isNegative() || proposalWindow.isZero() || maxRememberedProposals < 1) {
            throw new IllegalArgumentException("invalid endorser settings");
        }
    }
}
