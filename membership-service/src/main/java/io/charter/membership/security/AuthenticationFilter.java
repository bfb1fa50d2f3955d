package io.charter.membership.security;

import io.charter.membership.Caller;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.membership.api.ApiError;
import io.charter.membership.api.BasicCredentials;
import io.charter.membership.api.PresentedCertificate;
import io.charter.membership.api.ShellErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates every request under {@code /api/v1/} and bounds every request body.
 *
 * <ul>
 *   <li>{@code POST /api/v1/enroll}: HTTP Basic with enrollment id and secret (checked by the core).
 *   <li>{@code POST /api/v1/reenroll}: proof of possession of a certificate's key (signed token or mTLS),
 *       without the validity check, so that an expired certificate can re-enroll within the grace period.
 *   <li>Public: {@code GET /api/v1/cas/**} (CA chains and CRLs), node registration and heartbeats
 *       (their bodies are signed by the node and checked by the core), and everything outside
 *       {@code /api/v1/} (actuator, OpenAPI).
 *   <li>Everything else: the caller's certificate, from the {@code Authorization: Charter} token if present,
 *       else the mTLS client certificate; the core checks it was issued here and is neither revoked nor
 *       expired, and turns it into the {@link Caller} the controllers get.
 * </ul>
 */
public final class AuthenticationFilter extends OncePerRequestFilter {

    public static final String CALLER_ATTRIBUTE = AuthenticationFilter.class.getName() + ".caller";
    public static final String PRESENTED_ATTRIBUTE = AuthenticationFilter.class.getName() + ".presented";
    static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final Pattern HEARTBEAT = Pattern.compile("/api/v1/nodes/[^/]+/heartbeat");

    private final MembershipCore core;
    private final JsonMapper json;
    private final Clock clock;
    private final long maxBodyBytes;
    private final Duration tokenMaxSkew;

    public AuthenticationFilter(MembershipCore core, JsonMapper json, Clock clock, long maxBodyBytes, Duration tokenMaxSkew) {
        this.core = core;
        this.json = json;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.tokenMaxSkew = tokenMaxSkew;
    }

    enum Access { PUBLIC, BASIC, POSSESSION, CALLER }

    static Access access(String method, String path) {
        if (!path.startsWith("/api/v1/")) {
            return Access.PUBLIC;
        }
        boolean post = "POST".equals(method);
        if (post && path.equals("/api/v1/enroll")) {
            return Access.BASIC;
        }
        if (post && path.equals("/api/v1/reenroll")) {
            return Access.POSSESSION;
        }
        if ("GET".equals(method) && path.startsWith("/api/v1/cas/")) {
            return Access.PUBLIC;
        }
        if (post && (path.equals("/api/v1/nodes") || HEARTBEAT.matcher(path).matches())) {
            return Access.PUBLIC;
        }
        return Access.CALLER;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        CachedBodyRequest wrapped = new CachedBodyRequest(request, body);
        String path = request.getRequestURI();
        try {
            switch (access(request.getMethod(), path)) {
                case PUBLIC -> { }
                case BASIC -> {
                    if (BasicCredentials.from(request).isEmpty()) {
                        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"charter\"");
                        throw new ShellRefusal(ShellErrorCode.AUTHENTICATION_REQUIRED,
                                "Enrollment needs HTTP Basic authentication with the enrollment id and secret");
                    }
                }
                case POSSESSION -> wrapped.setAttribute(PRESENTED_ATTRIBUTE,
                        new PresentedCertificate(presented(wrapped, body).getFirst()));
                case CALLER -> {
                    Caller caller = core.authenticator().authenticate(presented(wrapped, body));
                    wrapped.setAttribute(CALLER_ATTRIBUTE, caller);
                }
            }
        } catch (ShellRefusal e) {
            log.info("refused {} {}: {} {}", request.getMethod(), path, e.code, e.getMessage());
            write(response, ApiError.of(e.code, e.getMessage()));
            return;
        } catch (MembershipException e) {
            log.info("refused {} {}: {} {}", request.getMethod(), path, e.code(), e.getMessage());
            write(response, ApiError.of(e));
            return;
        }
        chain.doFilter(wrapped, response);
    }

    /** The caller's certificate chain, leaf first, after checking possession of the leaf's key. */
    private List<X509Certificate> presented(HttpServletRequest request, byte[] body) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            if (!SignedToken.isToken(authorization)) {
                throw new ShellRefusal(ShellErrorCode.AUTHENTICATION_REQUIRED,
                        "This call is authenticated by a certificate: a client certificate (mTLS) or an"
                                + " 'Authorization: Charter <cert>.<signature>' token, not " + scheme(authorization));
            }
            SignedToken token = SignedToken.parse(authorization).orElseThrow(() -> new ShellRefusal(
                    ShellErrorCode.TOKEN_MALFORMED,
                    "The Authorization token must be 'Charter <base64 DER certificate>.<base64 DER signature>'"));
            String timestamp = request.getHeader(SignedToken.TIMESTAMP_HEADER);
            long millis = parseMillis(timestamp);
            long skew = Math.abs(clock.millis() - millis);
            if (skew > tokenMaxSkew.toMillis()) {
                throw new ShellRefusal(ShellErrorCode.TOKEN_EXPIRED, "The token's " + SignedToken.TIMESTAMP_HEADER
                        + " is " + skew / 1000 + " s away from this service's clock; at most "
                        + tokenMaxSkew.toSeconds() + " s is accepted. Sign each request anew (and check the clock)");
            }
            if (!token.verify(request.getMethod(), pathAndQuery(request), body, timestamp)) {
                throw new MembershipException(ErrorCode.BAD_SIGNATURE, "The token's signature does not verify: it"
                        + " must cover METHOD\\nPATH\\nbase64(sha256(body))\\nTIMESTAMP with the certificate's key");
            }
            return List.of(token.certificate());
        }
        if (request.getAttribute(CLIENT_CERTIFICATES) instanceof X509Certificate[] certificates
                && certificates.length > 0) {
            return Arrays.asList(certificates);
        }
        throw new ShellRefusal(ShellErrorCode.AUTHENTICATION_REQUIRED, "This call needs a certificate: present a"
                + " client certificate at the TLS handshake or sign the request with an 'Authorization: Charter' token");
    }

    private static long parseMillis(String timestamp) {
        if (timestamp == null) {
            throw new ShellRefusal(ShellErrorCode.TOKEN_MALFORMED,
                    "A Charter token needs the " + SignedToken.TIMESTAMP_HEADER + " header (epoch milliseconds)");
        }
        try {
            return Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new ShellRefusal(ShellErrorCode.TOKEN_MALFORMED,
                    SignedToken.TIMESTAMP_HEADER + " must be epoch milliseconds, not '" + timestamp + "'");
        }
    }

    static String pathAndQuery(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    private static String scheme(String authorization) {
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        return scheme.length() > 20 ? "that scheme" : "'" + scheme + "'";
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        log.info("refused {} {}: body over {} bytes", request.getMethod(), request.getRequestURI(), maxBodyBytes);
        // The rest of the body is not read: ask Tomcat to close the connection rather than drain it.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        write(response, ApiError.of(ShellErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + maxBodyBytes + " bytes"));
    }

    private void write(HttpServletResponse response, ApiError error) throws IOException {
        response.setStatus(error.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(error));
    }

    /** A refusal with a shell error code, before the core is involved. */
    static final class ShellRefusal extends RuntimeException {
        final ShellErrorCode code;

        ShellRefusal(ShellErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
