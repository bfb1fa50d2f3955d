package io.charter.common;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class SmokeTest { @Test void builds() { assertThat(io.charter.protocol.PlaceholderOuterClass.Placeholder.getDefaultInstance().getX().isEmpty()).isTrue(); } }
