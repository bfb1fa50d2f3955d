package io.charter.peer.admin;

import io.charter.common.admin.AdminCaller;
import io.charter.common.logging.LogLevels;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogSpecException;
import io.charter.peer.administration.AdminRefusal;
import io.charter.peer.administration.AdminRefusedException;
import io.charter.peer.node.PeerNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The peer's log levels over its admin API (Fabric's {@code /logspec}): {@code GET /api/v1/logspec} and
 * {@code PUT /api/v1/logspec} with {@code {"spec": "info:io.charter.peer.validation=debug"}}, for admins of the
 * peer's organization, by the rules of the transport's {@code peer.LogSpec}. The caller is checked before the body
 * is read, and the body is bounded.
 */
@RestController
@RequestMapping("/api/v1/logspec")
public class LogSpecController {

    private static final int MAX_BODY_BYTES = 4 * LogSpec.MAX_LENGTH + 64;

    private final PeerNode node;
    private final AdminAccess access;

    public LogSpecController(PeerNode node, AdminAccess access) {
        this.node = node;
        this.access = access;
    }

    public record LogSpecView(String spec) {}

    @GetMapping
    public LogSpecView show(HttpServletRequest request) {
        return new LogSpecView(node.administration().logSpec(access.caller(request), Optional.empty()).toString());
    }

    @PutMapping
    public LogSpecView change(HttpServletRequest request) throws IOException {
        AdminCaller caller = access.caller(request);
        node.administration().authorize(caller); // who may, before a byte of the body is read
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        return new LogSpecView(node.administration().logSpec(caller, Optional.of(specOf(body))).toString());
    }

    private static String specOf(byte[] body) {
        try {
            return LogLevels.specOfJsonBody(body, MAX_BODY_BYTES);
        } catch (LogSpecException e) {
            throw invalid(e.getMessage());
        }
    }

    private static AdminRefusedException invalid(String message) {
        return new AdminRefusedException(AdminRefusal.INVALID_LOG_SPEC, message);
    }

    @ExceptionHandler(AdminRefusedException.class)
    ResponseEntity<AdminController.ErrorView> refused(AdminRefusedException e) {
        return ResponseEntity.status(e.refusal().httpStatus()).contentType(MediaType.APPLICATION_JSON)
                .body(new AdminController.ErrorView(e.refusal().name(), e.getMessage()));
    }
}
