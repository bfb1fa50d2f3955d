package io.charter.client.cli;

/**
 * The exit codes of every {@code charter} command. They are part of the CLI's interface: scripts branch
 * on them, so a code never changes meaning (new ones are added at the end). Documented in docs/cli.md.
 */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** A wrong argument or option, or a file given that cannot be read: fix the command line. */
    public static final int USAGE = 1;
    /** Something named does not exist: identity, organization, channel, contract, block, transaction, network. */
    public static final int NOT_FOUND = 2;
    /** A node (membership service, orderer, peer, network host) did not answer. */
    public static final int UNREACHABLE = 3;
    /** Refused: wrong secret, revoked or expired certificate, not allowed for this role, policy not met. */
    public static final int REFUSED = 4;
    /** It already exists or is already running, or the local data is from an incompatible version. */
    public static final int CONFLICT = 5;
    /** The request was accepted but did not succeed (invalid transaction, timeout, disagreeing endorsements). */
    public static final int FAILED = 6;
    /** A bug in charter: run again with --verbose and report the stack trace. */
    public static final int INTERNAL = 10;

    private ExitCodes() {}
}
