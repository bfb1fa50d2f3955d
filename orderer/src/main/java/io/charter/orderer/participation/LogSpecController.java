package io.charter.orderer.participation;

import io.charter.common.admin.AdminCaller;
import io.charter.common.logging.LogLevels;
import io.charter.common.logging.LogSpec;
import io.charter.common.logging.LogSpecException;
import io.charter.orderer.administration.AdminRefusal;
import io.charter.orderer.administration.AdminRefusedException;
import io.charter.orderer.service.OrdererServer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The orderer's log levels over its admin HTTPS port (Fabric's {@code /logspec}): {@code GET /api/v1/logspec} and
 * {@code PUT /api/v1/logspec} with {@code {"spec": "info:io.charter.orderer.consensus=debug"}}, for admins of the
 * orderer's own organization, by the rules of the transport's {@code orderer.LogSpec}. The caller is checked before
 * the body is read.
 */
@RestController
@RequestMapping("/api/v1/logspec")
public class LogSpecController {

    private static final int MAX_BODY_BYTES = 4 * LogSpec.MAX_LENGTH + 64;

    private final OrdererServer server;

    public LogSpecController(OrdererServer server) {
        this.server = server;
    }

    public record LogSpecView(String spec) {}

    @GetMapping
    public LogSpecView show(HttpServletRequest request) {
        return apply(request, Optional.empty());
    }

    @PutMapping
    public LogSpecView change(HttpServletRequest request) throws IOException {
        AdminCaller caller = AdminCaller.tlsOnly(ParticipationController.caller(request));
        try {
            server.administration().logSpec(caller, Optional.empty()); // who may, before a byte of the body is read
        } catch (AdminRefusedException e) {
            throw new ParticipationController.ApiException(e);
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        return apply(request, Optional.of(specOf(body)));
    }

    private LogSpecView apply(HttpServletRequest request, Optional<String> spec) {
        AdminCaller caller = AdminCaller.tlsOnly(ParticipationController.caller(request));
        try {
            return new LogSpecView(server.administration().logSpec(caller, spec).toString());
        } catch (AdminRefusedException e) {
            throw new ParticipationController.ApiException(e);
        }
    }

    private static String specOf(byte[] body) {
        try {
            return LogLevels.specOfJsonBody(body, MAX_BODY_BYTES);
        } catch (LogSpecException e) {
            throw invalid(e.getMessage());
        }
    }

    private static ParticipationController.ApiException invalid(String message) {
        return new ParticipationController.ApiException(new AdminRefusedException(AdminRefusal.INVALID_LOG_SPEC, message));
    }

    @ExceptionHandler(ParticipationController.ApiException.class)
    ResponseEntity<ParticipationController.ErrorView> refused(ParticipationController.ApiException e) {
        return ResponseEntity.status(e.status).body(new ParticipationController.ErrorView(e.status.name(), e.code,
                e.getMessage()));
    }
}
