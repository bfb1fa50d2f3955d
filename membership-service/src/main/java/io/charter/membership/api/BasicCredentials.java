package io.charter.membership.api;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * HTTP Basic credentials: the enrollment id and secret of an enrollment request. The enrollment endpoint
 * reads them; the security filter only checks that they are there.
 */
public record BasicCredentials(String enrollmentId, String secret) {

    @Override
    public String toString() {
        return "BasicCredentials[enrollmentId=" + enrollmentId + ", secret=<redacted>]";
    }

    public static Optional<BasicCredentials> from(HttpServletRequest request) {
        return parse(request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    static Optional<BasicCredentials> parse(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
