/**
 * The client side of Charter: the SDK for applications ({@code io.charter.client.sdk}) and the
 * {@code charter} command line ({@code io.charter.client.cli}).
 */
package io.charter.client;
