/** The sample asset-transfer contract: create, read, update, transfer, delete, query by owner. */
package io.charter.samples.assettransfer;
