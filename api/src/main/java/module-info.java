/**
 * The tensorbridge application API: tensors, host arrays, the conversion contract and backend
 * discovery. Applications import {@code org.tensorbridge} only; backends are found through
 * {@link org.tensorbridge.BackendProvider} with {@link java.util.ServiceLoader}.
 */
module org.tensorbridge {
    exports org.tensorbridge;

    uses org.tensorbridge.BackendProvider;
}
