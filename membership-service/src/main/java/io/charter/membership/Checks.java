package io.charter.membership;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/** Input checks shared by the services. Internal to the membership core. */
public final class Checks {

    private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENROLLMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9.-]{0,248}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    public static final int MAX_HOSTS = 32;
    public static final int MAX_ATTRIBUTES = 64;
    public static final int MAX_ATTRIBUTE_VALUE = 1024;
    public static final int MAX_ENROLLMENTS = 10_000;

    private Checks() {}

    public static String mspId(String value) {
        if (value == null || !MSP_ID.matcher(value).matches()) {
            throw invalid("MSP id '" + value + "' is invalid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    public static String enrollmentId(String value) {
        if (value == null || !ENROLLMENT_ID.matcher(value).matches()) {
            throw invalid("enrollment id '" + value + "' is invalid: use 1 to 128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        return value;
    }

    public static String channel(String value) {
        if (value == null || !CHANNEL.matcher(value).matches()) {
            throw invalid("channel name '" + value + "' is invalid: use lower-case letters, digits, '.' or '-', starting with a letter");
        }
        return value;
    }

    /** Subject alternative names of a TLS certificate: at most {@value #MAX_HOSTS} DNS names or IP addresses. */
    public static List<String> hosts(List<String> hosts) {
        if (hosts.size() > MAX_HOSTS) {
            throw invalid("at most " + MAX_HOSTS + " hosts are allowed in a TLS certificate");
        }
        for (String host : hosts) {
            if (host == null || !(IPAddress.isValid(host) || (host.length() <= 253 && DNS_NAME.matcher(host).matches()))) {
                throw invalid("host '" + host + "' is neither a DNS name nor an IP address");
            }
        }
        return hosts;
    }

    public static Map<String, String> attributes(Map<String, String> attributes) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw invalid("at most " + MAX_ATTRIBUTES + " attributes are allowed");
        }
        attributes.forEach((name, value) -> {
            if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
                throw invalid("attribute name '" + name + "' is invalid: use up to 64 letters, digits, '.', '_' or '-', starting with a letter");
            }
            if (value == null || value.length() > MAX_ATTRIBUTE_VALUE) {
                throw invalid("attribute '" + name + "' needs a value of at most " + MAX_ATTRIBUTE_VALUE + " characters");
            }
        });
        return attributes;
    }

    public static int maxEnrollments(int value) {
        if (value < 1 || value > MAX_ENROLLMENTS) {
            throw invalid("max enrollments must be between 1 and " + MAX_ENROLLMENTS + ", got " + value);
        }
        return value;
    }

    public static MembershipException invalid(String message) {
        return new MembershipException(ErrorCode.INVALID_REQUEST, message);
    }

    public static MembershipException forbidden(Caller caller, String what) {
        return new MembershipException(ErrorCode.FORBIDDEN,
                caller.enrollmentId() + " (" + caller.role().label() + " of " + caller.mspId() + ") may not " + what
                        + ": ask an admin of that organization or a consortium admin");
    }
}
