/**
 * The API that Charter contracts are written against. It has no dependencies, so a contract jar holds
 * only its own classes; the peer loads each contract in a class loader of its own that sees this package
 * and the JDK, nothing of the peer.
 */
package io.charter.contract;
