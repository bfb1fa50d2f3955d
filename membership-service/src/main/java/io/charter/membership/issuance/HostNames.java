package io.charter.membership.issuance;

import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * The host names (DNS names and IP addresses) a registrar approves for a node, and their one canonical
 * spelling, so that what a node asks for compares with what was approved however either was written
 * ({@code Peer0.Example.COM} is {@code peer0.example.com}, {@code 0:0:0:0:0:0:0:1} is {@code ::1}).
 */
public final class HostNames {

    /** Hosts one node may have approved: enough for every name of a node behind a few load balancers. */
    public static final int MAX_APPROVED_HOSTS = 32;
    /** RFC 1035's limit on a name's text form. */
    public static final int MAX_NAME_LENGTH = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final String WILDCARD_PREFIX = "*.";
    /** Quoted in refusals at most this long: a refusal must not echo a megabyte back. */
    private static final int QUOTED = 80;

    private HostNames() {}

    /**
     * Checks and canonicalizes the hosts a registrar approves: at most {@value #MAX_APPROVED_HOSTS}, each an
     * IP address or a DNS name of at most {@value #MAX_NAME_LENGTH} characters whose labels are letters, digits
     * and inner hyphens; a wildcard only as a whole leading label ({@code *.example.com}) over at least two
     * labels, so that no approval covers a top-level domain; the last label not all digits. Duplicates collapse.
     *
     * @return the canonical hosts, sorted
     * @throws MembershipException TOO_MANY_HOSTS, HOST_INVALID
     */
    public static List<String> approve(List<String> hosts) {
        if (hosts.size() > MAX_APPROVED_HOSTS) {
            throw new MembershipException(ErrorCode.TOO_MANY_HOSTS, hosts.size() + " hosts given; a node may have at most "
                    + MAX_APPROVED_HOSTS + " approved hosts: approve only the names its clients reach it by");
        }
        TreeSet<String> approved = new TreeSet<>();
        for (String host : hosts) {
            approved.add(canonical(host).orElseThrow(() -> invalid(host)));
        }
        return List.copyOf(approved);
    }

    /**
     * The canonical spelling of a host, or empty when it is not a host a registrar could approve. Requested
     * hosts go through the same function, so a request can only ever match an approval spelled the same.
     */
    public static Optional<String> canonical(String host) {
        if (host == null || host.isEmpty() || host.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        if (IPAddress.isValid(host)) {
            try {
                // an IP literal: no lookup happens
                return Optional.of(InetAddress.getByName(host).getHostAddress());
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        String rest = name.startsWith(WILDCARD_PREFIX) ? name.substring(WILDCARD_PREFIX.length()) : name;
        String[] labels = rest.split("\\.", -1);
        if (rest != name && labels.length < 2) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        if (ALL_DIGITS.matcher(labels[labels.length - 1]).matches()) {
            // no top-level domain is numeric: such a "name" is a malformed IP address (300.1.1.1)
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** Whether a canonical host is a wildcard. */
    public static boolean wildcard(String canonicalHost) {
        return canonicalHost.startsWith(WILDCARD_PREFIX);
    }

    /** A host for a refusal's message: at most {@value #QUOTED} characters of it. */
    static String quote(String host) {
        if (host == null) {
            return "null";
        }
        return "'" + (host.length() > QUOTED ? host.substring(0, QUOTED) + "..." : host) + "'";
    }

    private static MembershipException invalid(String host) {
        return new MembershipException(ErrorCode.HOST_INVALID, "host " + quote(host) + " cannot be approved: give an IP"
                + " address or a DNS name of at most " + MAX_NAME_LENGTH + " characters (labels of letters, digits and"
                + " inner '-'); a wildcard only as a leading '*.' over at least two labels, e.g. '*.org1.example.com'");
    }
}
