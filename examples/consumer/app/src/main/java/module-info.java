/**
 * An application on the module path: it requires the tensorbridge api only. Backends are not named here;
 * the api's {@code uses org.tensorbridge.BackendProvider} lets {@link java.util.ServiceLoader} find
 * whichever backend the module path holds.
 */
module org.example.app {
    requires org.tensorbridge;
}
