package io.charter.client.config;

import io.charter.protocol.ChannelConfig;
import io.charter.protocol.Consenter;
import io.charter.protocol.OrdererConfig;
import io.charter.protocol.OrganizationConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a proposed configuration changes, in words: organizations added and removed (and what changed in the
 * others), channel policies added, removed and changed, consenters added, removed and changed, batch parameters.
 *
 * @param lines one change per line, e.g. {@code + organization Org3MSP}, {@code ~ policy Admins: A -> B}
 */
public record ConfigDiff(List<String> lines, List<String> organizationsAdded, List<String> organizationsRemoved,
        List<String> policiesChanged, List<String> consentersAdded, List<String> consentersRemoved) {

    public ConfigDiff {
        lines = List.copyOf(lines);
        organizationsAdded = List.copyOf(organizationsAdded);
        organizationsRemoved = List.copyOf(organizationsRemoved);
        policiesChanged = List.copyOf(policiesChanged);
        consentersAdded = List.copyOf(consentersAdded);
        consentersRemoved = List.copyOf(consentersRemoved);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The changes from {@code current} to {@code proposed} (the sequence is not a change). */
    public static ConfigDiff between(ChannelConfig current, ChannelConfig proposed) {
        List<String> lines = new ArrayList<>();
        List<String> orgsAdded = new ArrayList<>();
        List<String> orgsRemoved = new ArrayList<>();
        List<String> policiesChanged = new ArrayList<>();
        List<String> consentersAdded = new ArrayList<>();
        List<String> consentersRemoved = new ArrayList<>();
        if (!current.getChannelId().equals(proposed.getChannelId())) {
            lines.add("~ channel " + current.getChannelId() + " -> " + proposed.getChannelId());
        }
        Map<String, OrganizationConfig> before = byKey(current.getOrganizationsList(), OrganizationConfig::getMspId);
        Map<String, OrganizationConfig> after = byKey(proposed.getOrganizationsList(), OrganizationConfig::getMspId);
        for (var entry : after.entrySet()) {
            OrganizationConfig old = before.get(entry.getKey());
            OrganizationConfig now = entry.getValue();
            if (old == null) {
                orgsAdded.add(entry.getKey());
                lines.add("+ organization " + entry.getKey() + " (" + (now.getRootCertsCount() + now.getIntermediateCertsCount())
                        + " signing CA and " + (now.getTlsRootCertsCount() + now.getTlsIntermediateCertsCount())
                        + " TLS CA certificates, " + now.getCrlsCount() + " CRLs"
                        + (now.getAnchorPeersCount() == 0 ? "" : ", anchor peers " + String.join(", ",
                        now.getAnchorPeersList().stream().map(ConfigDocument::endpoint).toList())) + ")");
            } else if (!old.equals(now)) {
                lines.add("~ organization " + entry.getKey() + ": " + String.join(", ", organizationChanges(old, now)));
            }
        }
        for (String mspId : before.keySet()) {
            if (!after.containsKey(mspId)) {
                orgsRemoved.add(mspId);
                lines.add("- organization " + mspId);
            }
        }
        policies("policy ", current.getPoliciesMap(), proposed.getPoliciesMap(), lines, policiesChanged);
        OrdererConfig oldOrderer = current.getOrderer();
        OrdererConfig newOrderer = proposed.getOrderer();
        Map<String, Consenter> oldConsenters = byKey(oldOrderer.getConsentersList(), c -> ConfigDocument.endpoint(c.getEndpoint()));
        Map<String, Consenter> newConsenters = byKey(newOrderer.getConsentersList(), c -> ConfigDocument.endpoint(c.getEndpoint()));
        for (var entry : newConsenters.entrySet()) {
            Consenter old = oldConsenters.get(entry.getKey());
            if (old == null) {
                consentersAdded.add(entry.getKey());
                lines.add("+ consenter " + entry.getKey());
            } else if (!old.equals(entry.getValue())) {
                lines.add("~ consenter " + entry.getKey() + ": " + (old.getIdentity().equals(entry.getValue().getIdentity())
                        ? "" : "identity, ") + "TLS certificates");
            }
        }
        for (String endpoint : oldConsenters.keySet()) {
            if (!newConsenters.containsKey(endpoint)) {
                consentersRemoved.add(endpoint);
                lines.add("- consenter " + endpoint);
            }
        }
        Map<String, Object> oldBatch = batch(current);
        Map<String, Object> newBatch = batch(proposed);
        for (String key : newBatch.keySet()) {
            if (!Objects.equals(oldBatch.get(key), newBatch.get(key))) {
                lines.add("~ orderer " + key + ": " + oldBatch.get(key) + " -> " + newBatch.get(key));
            }
        }
        return new ConfigDiff(lines, orgsAdded, orgsRemoved, policiesChanged, consentersAdded, consentersRemoved);
    }

    private static List<String> organizationChanges(OrganizationConfig old, OrganizationConfig now) {
        List<String> changes = new ArrayList<>();
        if (!old.getRootCertsList().equals(now.getRootCertsList())
                || !old.getIntermediateCertsList().equals(now.getIntermediateCertsList())) {
            changes.add("signing CA certificates");
        }
        if (!old.getTlsRootCertsList().equals(now.getTlsRootCertsList())
                || !old.getTlsIntermediateCertsList().equals(now.getTlsIntermediateCertsList())) {
            changes.add("TLS CA certificates");
        }
        if (!old.getCrlsList().equals(now.getCrlsList())) {
            changes.add("CRLs (" + old.getCrlsCount() + " -> " + now.getCrlsCount() + ")");
        }
        if (!old.getPoliciesMap().equals(now.getPoliciesMap())) {
            List<String> ignored = new ArrayList<>();
            List<String> policyLines = new ArrayList<>();
            policies("", old.getPoliciesMap(), now.getPoliciesMap(), policyLines, ignored);
            changes.add("policies " + String.join("; ", policyLines.stream().map(l -> l.substring(2)).toList()));
        }
        if (!old.getAnchorPeersList().equals(now.getAnchorPeersList())) {
            changes.add("anchor peers " + old.getAnchorPeersList().stream().map(ConfigDocument::endpoint).toList() + " -> "
                    + now.getAnchorPeersList().stream().map(ConfigDocument::endpoint).toList());
        }
        return changes;
    }

    private static void policies(String prefix, Map<String, String> before, Map<String, String> after, List<String> lines,
            List<String> changed) {
        for (String name : new TreeSet<>(after.keySet())) {
            String old = before.get(name);
            if (old == null) {
                changed.add(name);
                lines.add("+ " + prefix + name + ": " + after.get(name));
            } else if (!old.equals(after.get(name))) {
                changed.add(name);
                lines.add("~ " + prefix + name + ": " + old + " -> " + after.get(name));
            }
        }
        for (String name : new TreeSet<>(before.keySet())) {
            if (!after.containsKey(name)) {
                changed.add(name);
                lines.add("- " + prefix + name + " (was " + before.get(name) + ")");
            }
        }
    }

    private static Map<String, Object> batch(ChannelConfig config) {
        OrdererConfig orderer = config.getOrderer();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("batchSize.maxMessageCount", Integer.toUnsignedLong(orderer.getBatchSize().getMaxMessageCount()));
        values.put("batchSize.preferredMaxBytes", ConfigDocument.size(orderer.getBatchSize().getPreferredMaxBytes()));
        values.put("batchSize.absoluteMaxBytes", ConfigDocument.size(orderer.getBatchSize().getAbsoluteMaxBytes()));
        values.put("batchTimeout", ConfigDocument.duration(orderer.getBatchTimeout()));
        values.put("maxEnvelopeBytes", ConfigDocument.size(orderer.getMaxEnvelopeBytes()));
        return values;
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(item -> map.putIfAbsent(key.apply(item), item));
        return map;
    }
}
