package io.charter.common.admin;

/** A signed administration request refused by {@link SignedAdminEnvelopes}; the node maps the problem to its refusal. */
public final class AdminEnvelopeException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final AdminEnvelopeProblem problem;

    public AdminEnvelopeException(AdminEnvelopeProblem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public AdminEnvelopeProblem problem() {
        return problem;
    }
}
