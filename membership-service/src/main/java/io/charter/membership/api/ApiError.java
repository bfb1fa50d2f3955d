package io.charter.membership.api;

import io.charter.membership.MembershipException;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every error answer: a stable machine-readable {@code code} (a core
 * {@link io.charter.membership.ErrorCode} or a {@link ShellErrorCode}), a message for people, and the
 * HTTP status repeated.
 */
@Schema(description = "Every 4xx/5xx answer has this body; match on code, show message")
public record ApiError(
        @Schema(example = "CSR_MALFORMED") String code,
        @Schema(example = "The CSR is not a PKCS#10 certification request") String message,
        @Schema(example = "400") int status) {

    public static ApiError of(MembershipException e) {
        return new ApiError(e.code().name(), e.getMessage(), e.httpStatus());
    }

    public static ApiError of(ShellErrorCode code, String message) {
        return new ApiError(code.name(), message, code.httpStatus());
    }
}
