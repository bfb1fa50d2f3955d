package io.charter.client.cli;

/** How a command prints its result: for people ({@code text}) or for scripts ({@code json}, one document). */
public enum OutputFormat {
    text,
    json
}
