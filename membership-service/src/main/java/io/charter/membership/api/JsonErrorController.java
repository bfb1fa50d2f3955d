package io.charter.membership.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Errors raised outside Spring MVC (by the servlet container) also get the {@link ApiError} body, in
 * place of Boot's whitelabel page.
 */
@RestController
@Hidden
public class JsonErrorController implements ErrorController {

    @RequestMapping(path = "/error", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : 500;
        ShellErrorCode shell = switch (code) {
            case 404 -> ShellErrorCode.NOT_FOUND;
            case 405 -> ShellErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ShellErrorCode.NOT_ACCEPTABLE;
            case 413 -> ShellErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ShellErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ShellErrorCode.AUTHENTICATION_REQUIRED;
            default -> ShellErrorCode.INTERNAL_ERROR;
        };
        ApiError body = code >= 500 || shell != ShellErrorCode.INTERNAL_ERROR
                ? new ApiError(shell.name(), "The request failed with HTTP status " + code, code)
                : new ApiError("INVALID_REQUEST", "The request failed with HTTP status " + code, code);
        return ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
