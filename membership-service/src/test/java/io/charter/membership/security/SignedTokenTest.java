package io.charter.membership.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.common.pki.Role;
import io.charter.common.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignedTokenTest {

    private final TestPki.Credential alice = TestPki.create("Org1MSP").organization("Org1MSP").enroll("alice", Role.CLIENT);
    private final byte[] body = "{\"mspId\":\"Org2MSP\"}".getBytes(StandardCharsets.UTF_8);

    private String header(String method, String path, byte[] signedBody, String timestamp) {
        return SignedToken.authorization(alice.certificate(), alice.keys().getPrivate(), method, path, signedBody, timestamp);
    }

    @Test
    void verifiesWhatWasSignedAndNothingElse() {
        String header = header("POST", "/api/v1/organizations", body, "1700000000000");
        SignedToken token = SignedToken.parse(header).orElseThrow();
        assertThat(token.certificate()).isEqualTo(alice.certificate());
        assertThat(token.verify("POST", "/api/v1/organizations", body, "1700000000000")).isTrue();
        assertThat(token.verify("post", "/api/v1/organizations", body, "1700000000000")).isTrue();
        assertThat(token.verify("PUT", "/api/v1/organizations", body, "1700000000000")).isFalse();
        assertThat(token.verify("POST", "/api/v1/organizations?x=1", body, "1700000000000")).isFalse();
        assertThat(token.verify("POST", "/api/v1/organizations", new byte[0], "1700000000000")).isFalse();
        assertThat(token.verify("POST", "/api/v1/organizations", body, "1700000000001")).isFalse();
    }

    @Test
    void payloadIsTheDocumentedText() {
        String text = new String(SignedToken.payload("get", "/p?q=1", new byte[0], "42"), StandardCharsets.UTF_8);
        // sha256 of the empty string
        assertThat(text).isEqualTo("GET\n/p?q=1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n42");
    }

    @Test
    void malformedHeadersDoNotParse() {
        String good = header("GET", "/", new byte[0], "1");
        String value = good.substring("Charter ".length());
        assertThat(SignedToken.parse(null)).isEmpty();
        assertThat(SignedToken.parse("Basic abc")).isEmpty();
        assertThat(SignedToken.parse("Charter ")).isEmpty();
        assertThat(SignedToken.parse("Charter " + value.substring(0, value.indexOf('.')))).isEmpty();
        assertThat(SignedToken.parse("Charter ." + value.substring(value.indexOf('.') + 1))).isEmpty();
        assertThat(SignedToken.parse("Charter " + value + ".extra")).isEmpty();
        assertThat(SignedToken.parse("Charter !!!." + value.substring(value.indexOf('.') + 1))).isEmpty();
        assertThat(SignedToken.parse("Charter " + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + ".AAAA")).isEmpty();
        assertThat(SignedToken.parse("charter " + value)).isPresent();
    }

    @Test
    void garbageSignatureIsInvalidNotAnError() {
        String good = header("GET", "/", new byte[0], "1");
        String broken = good.substring(0, good.indexOf('.') + 1) + Base64.getEncoder().encodeToString(new byte[] {48, 1, 0});
        assertThat(SignedToken.parse(broken).orElseThrow().verify("GET", "/", new byte[0], "1")).isFalse();
    }
}
