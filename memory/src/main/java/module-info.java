/**
 * Host memory for backends built on the spi: reference-counted {@link org.tensorbridge.memory.Storage}
 * with a leak ledger, host blocks reused for copies, and the host arrays and sparse values that
 * {@link org.tensorbridge.memory.HostArrays} makes with reports derived from what it did.
 */
module org.tensorbridge.memory {
    requires transitive org.tensorbridge;

    exports org.tensorbridge.memory;
}
