package io.charter.client.cli;

import io.charter.common.membership.MembershipException;

/**
 * The membership service's error codes (docs/membership-service.md, "Errors") as exit codes, each with
 * what to do about it.
 */
public final class MembershipErrors {

    private MembershipErrors() {}

    public static CliException translate(MembershipException e) {
        String code = e.code();
        String detail = message(e);
        return switch (code) {
            case MembershipException.UNREACHABLE -> new CliException(ExitCodes.UNREACHABLE, code,
                    "the membership service is unreachable (" + detail + "): is the network up ('charter status')?"
                            + " Or give its address with --url", e);
            case "AUTHENTICATION_FAILED" -> refused(code, "enrollment refused: wrong enrollment id or secret"
                    + " (the secret is the one 'charter register' printed)", e);
            case "ENROLLMENT_LIMIT_REACHED" -> refused(code, "this identity has used all its enrollments: renew with"
                    + " 'charter reenroll', or register a new identity", e);
            case "TOO_MANY_ATTEMPTS" -> refused(code, "too many failed enrollments from this address: wait and try"
                    + " again (" + detail + ")", e);
            case "HOST_NOT_APPROVED" -> refused(code, "no TLS certificate for these hosts (" + detail + "): give only"
                    + " hosts the registrar approved with --tls-host, or leave it out for all of them", e);
            case "HOSTS_NOT_ALLOWED_FOR_ROLE" -> new CliException(ExitCodes.USAGE, code, "hosts are for peers and"
                    + " orderers only (" + detail + "): leave --tls-host or --hosts out", e);
            case "HOST_INVALID", "TOO_MANY_HOSTS" -> new CliException(ExitCodes.USAGE, code,
                    "the membership service refused the hosts: " + detail, e);
            case "CERTIFICATE_REVOKED", "IDENTITY_REVOKED" -> refused(code, "the identity is revoked (" + detail
                    + "): enroll another identity", e);
            case "CERTIFICATE_EXPIRED" -> refused(code, "the certificate has expired: renew it with 'charter reenroll'", e);
            case "CERTIFICATE_UNKNOWN" -> refused(code, "the membership service does not know this certificate ("
                    + detail + "): is the wallet from another network? Enroll again", e);
            case "FORBIDDEN" -> refused(code, "not allowed (" + detail + "): use an admin identity with --as", e);
            case "AUTHENTICATION_REQUIRED", "TOKEN_MALFORMED", "BAD_SIGNATURE" -> refused(code,
                    "the membership service did not accept the identity (" + detail + ")", e);
            case "TOKEN_EXPIRED" -> refused(code, "the membership service refused the request as stale: check this"
                    + " machine's clock (" + detail + ")", e);
            case "IDENTITY_EXISTS", "ORGANIZATION_EXISTS" -> new CliException(ExitCodes.CONFLICT, code, detail, e);
            case "INVALID_REQUEST", "CSR_MALFORMED", "CSR_MISMATCH", "PAYLOAD_TOO_LARGE" ->
                    new CliException(ExitCodes.USAGE, code, "the membership service refused the request: " + detail, e);
            default -> {
                if (code.endsWith("NOT_FOUND") || e.status() == 404) {
                    yield new CliException(ExitCodes.NOT_FOUND, code, detail, e);
                }
                if (e.status() == 401 || e.status() == 403) {
                    yield refused(code, detail, e);
                }
                yield new CliException(ExitCodes.FAILED, code, "the membership service answered " + code + ": " + detail, e);
            }
        };
    }

    private static CliException refused(String code, String message, MembershipException e) {
        return new CliException(ExitCodes.REFUSED, code, message, e);
    }

    /** The service's own message, without the "CODE (status): " prefix of the exception. */
    private static String message(MembershipException e) {
        String text = e.getMessage();
        String prefix = e.code() + " (" + e.status() + "): ";
        String core = text.startsWith(prefix) ? text.substring(prefix.length())
                : text.startsWith(e.code() + ": ") ? text.substring(e.code().length() + 2) : text;
        return core.isBlank() ? e.code() : core.strip();
    }
}
