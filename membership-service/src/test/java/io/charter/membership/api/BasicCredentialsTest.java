package io.charter.membership.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

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
