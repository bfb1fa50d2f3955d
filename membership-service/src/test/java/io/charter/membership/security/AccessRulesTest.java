package io.charter.membership.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.charter.membership.security.AuthenticationFilter.Access;
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
        // The network map: its data is the API's, its static files (no data) are public.
        assertThat(AuthenticationFilter.access("GET", "/api/v1/network-map")).isEqualTo(Access.CALLER);
        assertThat(AuthenticationFilter.access("GET", "/map/map.js")).isEqualTo(Access.PUBLIC);
    }
}
