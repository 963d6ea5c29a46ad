/**
 * The reference backend: plain Java, exact kernels for every operation.
 */
module org.tensorbridge.backend.reference {
    requires transitive org.tensorbridge.spi;

    exports org.tensorbridge.backend.reference;

    provides org.tensorbridge.BackendProvider with org.tensorbridge.backend.reference.ReferenceBackendProvider;
}
