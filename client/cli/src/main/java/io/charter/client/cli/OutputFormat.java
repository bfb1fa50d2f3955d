package io.charter.client.cli;

/**
 * How a command prints its result: for people ({@code text}), for scripts ({@code json}, one document), or as a
 * Graphviz graph ({@code dot}, only where a command draws one: {@code charter nodes}).
 */
public enum OutputFormat {
    text,
    json,
    dot
}
