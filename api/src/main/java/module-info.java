/**
 * The tensorbridge application API: tensors, host arrays, the conversion contract, the operations
 * ({@code org.tensorbridge.op}) and backend discovery. Applications import {@code org.tensorbridge};
 * backends are found through {@link org.tensorbridge.BackendProvider} with
 * {@link java.util.ServiceLoader}.
 */
module org.tensorbridge {
    exports org.tensorbridge;
    exports org.tensorbridge.op;

    uses org.tensorbridge.BackendProvider;
}
