/**
 * The backend author's toolkit: a backend is a {@link org.tensorbridge.spi.BackendSpec} — memory,
 * optional host sharing and wrapping, kernels by operation, optional fusion and checks — composed by
 * {@link org.tensorbridge.spi.AbstractBackend}, which enforces the conversion contract once.
 */
module org.tensorbridge.spi {
    requires transitive org.tensorbridge;
    requires transitive org.tensorbridge.memory;
    requires transitive org.tensorbridge.graph;

    exports org.tensorbridge.spi;
}
