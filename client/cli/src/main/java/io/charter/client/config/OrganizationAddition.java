package io.charter.client.config;

import io.charter.common.protocol.Parsing;
import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.OrganizationConfig;
import io.charter.protocol.SerializedIdentity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration that adds an organization to a channel: the current one with the organization appended (with
 * the standard organization policies: Readers and Writers its members, Admins its admins, Endorsement its peers),
 * the sequence + 1, and each channel policy that lists every member organization (as {@code charter channel
 * create} writes them) extended to the new member: {@code OR(...)} gets it too, a majority ({@code AND} of one or
 * two, {@code OutOf(n/2+1, ...)}) becomes the majority of the larger set, {@code OutOf(1, ...)} gets it, an
 * {@code AND} of three or more stays an {@code AND} of all. Policies written otherwise (implicit meta policies such
 * as {@code MAJORITY Admins} include the new organization by themselves; hand-written ones) are left alone and
 * named in {@link Proposal#untouchedPolicies()}.
 */
public final class OrganizationAddition {

    private static final Pattern LIST_POLICY = Pattern.compile("\\s*(OR|AND|OutOf)\\s*\\(\\s*(?:(\\d+)\\s*,)?(.*)\\)\\s*");
    private static final Pattern PRINCIPAL = Pattern.compile("\\s*'([^'.]+)\\.([a-z]+)'\\s*");

    /**
     * @param proposed the configuration to propose
     * @param untouchedPolicies channel policies that do not name every member and were kept as they are
     */
    public record Proposal(ChannelConfig proposed, List<String> untouchedPolicies) {}

    private OrganizationAddition() {}

    /** The standard policies of an organization, as explicit policy texts. */
    public static Map<String, String> standardPolicies(String mspId) {
        return Map.of("Readers", "OR('" + mspId + ".member')", "Writers", "OR('" + mspId + ".member')",
                "Admins", "OR('" + mspId + ".admin')", "Endorsement", "OR('" + mspId + ".peer')");
    }

    /**
     * Proposes {@code current} plus {@code organization}.
     *
     * @throws IllegalArgumentException when the organization is already in the channel
     */
    public static Proposal propose(ChannelConfig current, OrganizationConfig organization) {
        String mspId = organization.getMspId();
        if (current.getOrganizationsList().stream().anyMatch(o -> o.getMspId().equals(mspId))) {
            throw new IllegalArgumentException(mspId + " is already an organization of channel " + current.getChannelId());
        }
        List<String> members = members(current);
        List<String> extended = new ArrayList<>(members);
        extended.add(mspId);
        ChannelConfig.Builder proposed = current.toBuilder().setSequence(current.getSequence() + 1)
                .addOrganizations(organization);
        List<String> untouched = new ArrayList<>();
        current.getPoliciesMap().forEach((name, rule) -> {
            Optional<String> rewritten = extend(rule, members, extended);
            if (rewritten.isPresent()) {
                proposed.putPolicies(name, rewritten.get());
            } else {
                untouched.add(name);
            }
        });
        untouched.sort(null);
        return new Proposal(proposed.build(), untouched);
    }

    /** The member organizations: those of the channel that run none of its consenters. */
    static List<String> members(ChannelConfig config) {
        Set<String> ordererOrgs = new LinkedHashSet<>();
        for (Consenter consenter : config.getOrderer().getConsentersList()) {
            try {
                ordererOrgs.add(Parsing.parse(SerializedIdentity.parser(), consenter.getIdentity()).getMspId());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                // an unreadable identity names no organization
            }
        }
        return config.getOrganizationsList().stream().map(OrganizationConfig::getMspId)
                .filter(m -> !ordererOrgs.contains(m)).toList();
    }

    /** {@code rule} over {@code extended} when it is a list policy over exactly {@code members}, else empty. */
    static Optional<String> extend(String rule, List<String> members, List<String> extended) {
        Matcher matcher = LIST_POLICY.matcher(rule);
        if (!matcher.matches() || members.isEmpty()) {
            return Optional.empty();
        }
        String kind = matcher.group(1);
        boolean outOf = kind.equals("OutOf");
        if (outOf != (matcher.group(2) != null)) {
            return Optional.empty();
        }
        Set<String> organizations = new LinkedHashSet<>();
        Set<String> roles = new LinkedHashSet<>();
        for (String part : matcher.group(3).split(",", -1)) {
            Matcher principal = PRINCIPAL.matcher(part);
            if (!principal.matches()) {
                return Optional.empty();
            }
            organizations.add(principal.group(1));
            roles.add(principal.group(2));
        }
        if (roles.size() != 1 || !organizations.equals(new LinkedHashSet<>(members))
                || organizations.size() != matcher.group(3).split(",", -1).length) {
            return Optional.empty();
        }
        String role = roles.iterator().next();
        int n = members.size();
        int majority = n / 2 + 1;
        return switch (kind) {
            case "OR" -> Optional.of("OR(" + PolicyTexts.principals(extended, role) + ")");
            case "AND" -> Optional.of(n == majority ? PolicyTexts.majority(extended, role) : "AND(" + PolicyTexts.principals(extended, role) + ")");
            default -> {
                int needed = Integer.parseInt(matcher.group(2));
                if (needed == 1) {
                    yield Optional.of(PolicyTexts.anyOf(extended, role));
                }
                yield needed == majority ? Optional.of(PolicyTexts.majority(extended, role)) : Optional.empty();
            }
        };
    }
}
