package io.charter.membership.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.membership.security.AuthenticationFilter.Access;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    @Test
    void eachPathGetsItsAuthentication() {
        assertThat(AuthenticationFilter.access("POST", "/api/v1/enroll")).isEqualTo(Access.BASIC);
        assertThat(AuthenticationFilter.access("POST", "/api/v1/reenroll")).isEqualTo(Access.POSSESSION);
        assertThat(AuthenticationFilter.access("GET", "/api/v1/cas/Org1MSP/signing/crl")).isEqualTo(Access.PUBLIC);
        assertThat(AuthenticationFilter.access("POST", "/api/v1/cas/Org1MSP")).isEqualTo(Access.CALLER);
        assertThat(AuthenticationFilter.access("POST", "/api/v1/nodes")).isEqualTo(Access.PUBLIC);
        assertThat(AuthenticationFilter.access("POST", "/api/v1/nodes/peer0/heartbeat")).isEqualTo(Access.PUBLIC);
        assertThat(AuthenticationFilter.access("GET", "/api/v1/nodes")).isEqualTo(Access.CALLER);
        assertThat(AuthenticationFilter.access("POST", "/api/v1/nodes/a/b/heartbeat")).isEqualTo(Access.CALLER);
        assertThat(AuthenticationFilter.access("GET", "/api/v1/enroll")).isEqualTo(Access.CALLER);
        assertThat(AuthenticationFilter.access("POST", "/api/v1/organizations")).isEqualTo(Access.CALLER);
        assertThat(AuthenticationFilter.access("GET", "/actuator/health")).isEqualTo(Access.PUBLIC);
        assertThat(AuthenticationFilter.access("GET", "/v3/api-docs")).isEqualTo(Access.PUBLIC);
    }

    @Test
    void basicCredentialsSplitAtTheFirstColon() {
        String header = "Basic " + Base64.getEncoder().encodeToString("peer0:se:cret".getBytes(StandardCharsets.UTF_8));
        assertThat(BasicCredentials.parse(header)).contains(new BasicCredentials("peer0", "se:cret"));
        assertThat(BasicCredentials.parse("Basic !!!")).isEmpty();
        assertThat(BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(":x".getBytes()))).isEmpty();
        assertThat(BasicCredentials.parse("Bearer x")).isEmpty();
        assertThat(new BasicCredentials("a", "secret").toString()).doesNotContain("secret]").contains("redacted");
    }
}
