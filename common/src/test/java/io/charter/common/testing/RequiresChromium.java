package io.charter.common.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that drives a headless Chromium ({@link HeadlessChromium}). Without Chromium it is
 * skipped on a developer machine, but it FAILS when {@code CI=true}: {@code .ci/run} installs Debian's
 * {@code chromium}, so a browser test that silently skips in CI proves nothing. Like {@link RequiresDocker}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ChromiumAvailableCondition.class)
public @interface RequiresChromium {}
