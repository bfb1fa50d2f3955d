package io.charter.membership.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void secretsAreDistinctBase64UrlAndNeverStartWithADashThatACommandLineWouldTakeForAnOption() {
        Set<String> secrets = new HashSet<>();
        // a base64url secret starts with '-' once in 64: 10,000 draws would all but surely show one
        for (int i = 0; i < 10_000; i++) {
            String secret = Secrets.generate();
            assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+").doesNotStartWith("-");
            secrets.add(secret);
        }
        assertThat(secrets).hasSize(10_000);
    }

    @Test
    void aSecretMatchesItsSaltedHashOnly() {
        byte[] salt = Secrets.salt();
        String secret = Secrets.generate();
        byte[] hash = Secrets.hash(salt, secret);

        assertThat(Secrets.matches(salt, hash, secret)).isTrue();
        assertThat(Secrets.matches(salt, hash, secret + "x")).isFalse();
        assertThat(Secrets.matches(Secrets.salt(), hash, secret)).isFalse();
    }

    @Test
    void noSecretMatchesNothingAndSaltsAreSixteenFreshBytes() {
        byte[] salt = Secrets.salt();
        byte[] hash = Secrets.hash(salt, "secret");

        assertThat(Secrets.matches(salt, hash, null)).isFalse();
        assertThat(salt).hasSize(16).isNotEqualTo(Secrets.salt());
        assertThat(hash).hasSize(32).isEqualTo(Secrets.hash(salt.clone(), "secret"));
    }
}
