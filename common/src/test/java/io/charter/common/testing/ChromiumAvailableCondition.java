package io.charter.common.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresChromium}. */
public final class ChromiumAvailableCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        var executable = HeadlessChromium.executable();
        if (executable.isPresent()) {
            return ConditionEvaluationResult.enabled("Chromium is " + executable.get());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("Chromium is not installed but CI=true, so browser tests would be skipped."
                    + " .ci/run installs Debian's chromium when it is not on the PATH; check its output"
                    + " (or set CHROMIUM to the browser's path).");
        }
        return ConditionEvaluationResult.disabled("Chromium is not installed (chromium on the PATH or CHROMIUM):"
                + " browser tests skipped (they fail under CI=true)");
    }
}
