package io.charter.membership.index;

import java.time.Duration;

/**
 * The answer to a registration or heartbeat.
 *
 * @param crlVersion the global CRL version: a node that sees it change fetches the CRLs anew
 * @param heartbeatInterval how often the node should heartbeat
 * @param revocationPropagationBound the bound the service promises for revocations to reach nodes
 */
public record IndexAnswer(String nodeId, long crlVersion, Duration heartbeatInterval, Duration revocationPropagationBound) {}
