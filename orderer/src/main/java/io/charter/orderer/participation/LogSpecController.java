package io.charter.orderer.participation;

import io.charter.common.admin.AdminCaller;
import io.charter.common.logging.LogSpec;
import io.charter.orderer.administration.AdminRefusal;
import io.charter.orderer.administration.AdminRefusedException;
import io.charter.orderer.service.OrdererServer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orderer's log levels over its admin HTTPS port (Fabric's {@code /logspec}): {@code GET /api/v1/logspec} and
 * {@code PUT /api/v1/logspec} with {@code {"spec": "info:io.charter.orderer.consensus=debug"}}, for admins of the
 * orderer's own organization, by the rules of the transport's {@code orderer.LogSpec}. The caller is checked before
 * the body is read.
 */
@RestController
@RequestMapping("/api/v1/logspec")
public class LogSpecController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
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
        if (body.length > MAX_BODY_BYTES) {
            throw invalid("the body is {\"spec\": \"...\"} of at most " + LogSpec.MAX_LENGTH + " characters");
        }
        try {
            JsonNode spec = JSON.readTree(new String(body, StandardCharsets.UTF_8)).path("spec");
            if (!spec.isString()) {
                throw invalid("the body is {\"spec\": \"...\"}, e.g. {\"spec\": \"info:io.charter.orderer=debug\"}");
            }
            return spec.asString();
        } catch (JacksonException e) {
            throw invalid("the body is not JSON: give {\"spec\": \"...\"}");
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
