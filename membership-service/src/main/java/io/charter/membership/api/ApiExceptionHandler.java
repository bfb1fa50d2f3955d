package io.charter.membership.api;

import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every exception a controller can raise to an {@link ApiError} with a stable code. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(MembershipException.class)
    ResponseEntity<ApiError> membership(MembershipException e) {
        log.info("refused: {} {}", e.code(), e.getMessage());
        ResponseEntity<ApiError> answer = answer(ApiError.of(e));
        return e.retryAfter()
                .map(wait -> ResponseEntity.status(answer.getStatusCode())
                        .header(org.springframework.http.HttpHeaders.RETRY_AFTER,
                                Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)))
                        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                        .body(answer.getBody()))
                .orElse(answer);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class, MethodArgumentTypeMismatchException.class,
            MethodArgumentNotValidException.class, HandlerMethodValidationException.class,
            IllegalArgumentException.class})
    ResponseEntity<ApiError> invalid(Exception e) {
        String message = switch (e) {
            case HttpMessageNotReadableException n -> "The request body is not valid JSON of the expected shape: "
                    + firstLine(n.getMostSpecificCause().getMessage());
            case MethodArgumentNotValidException v -> "Invalid request: " + v.getBindingResult().getAllErrors().stream()
                    .map(error -> error.getDefaultMessage()).toList();
            default -> "Invalid request: " + firstLine(e.getMessage());
        };
        return answer(new ApiError(ErrorCode.INVALID_REQUEST.name(), message, ErrorCode.INVALID_REQUEST.httpStatus()));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ApiError> notFound(Exception e) {
        return answer(ApiError.of(ShellErrorCode.NOT_FOUND, "No such endpoint; the API is under /api/v1/, its"
                + " OpenAPI document at /v3/api-docs"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return answer(ApiError.of(ShellErrorCode.METHOD_NOT_ALLOWED, e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(ApiError.of(ShellErrorCode.UNSUPPORTED_MEDIA_TYPE, e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return answer(ApiError.of(ShellErrorCode.NOT_ACCEPTABLE, e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return answer(ApiError.of(ShellErrorCode.INTERNAL_ERROR, "The service failed unexpectedly; see its log"));
    }

    private static ResponseEntity<ApiError> answer(ApiError error) {
        return ResponseEntity.status(error.status())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(error);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
