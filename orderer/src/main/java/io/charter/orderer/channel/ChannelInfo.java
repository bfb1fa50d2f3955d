package io.charter.orderer.channel;

/** A joined channel as the participation API lists it. */
public record ChannelInfo(String channelId, long height, String role, String leader) {}
