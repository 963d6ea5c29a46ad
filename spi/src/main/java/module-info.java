/**
 * The backend author's toolkit: base classes that enforce the conversion contract, reference
 * counted memory with leak reporting, and the operands kernels receive. A backend built on
 * {@link org.tensorbridge.spi.AbstractBackend} implements allocation, transfer, sharing and kernels
 * only.
 */
module org.tensorbridge.spi {
    requires transitive org.tensorbridge;

    exports org.tensorbridge.spi;
}
