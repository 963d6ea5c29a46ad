package org.tensorbridge.flight;

import java.util.Locale;
import java.util.Objects;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.tensorbridge.TensorBridgeException;

/**
 * A Flight call of {@link TensorFlightClient} that the server refused or that failed on the way: the
 * Flight {@link #status()} and the server's description, which names the fix (a tensor server's
 * refusals do: {@code UNAUTHENTICATED} names the credentials to give, {@code NOT_FOUND} how to list the
 * names, {@code RESOURCE_EXHAUSTED} the limit and the option that raises it, {@code INVALID_ARGUMENT}
 * what was malformed). The cause is Flight's {@link FlightRuntimeException}.
 *
 * <p>Diagnostic code {@code TB-FLIGHT-} followed by the status with {@code -} for {@code _}:
 * {@code TB-FLIGHT-UNAUTHENTICATED}, {@code TB-FLIGHT-UNAUTHORIZED}, {@code TB-FLIGHT-NOT-FOUND},
 * {@code TB-FLIGHT-INVALID-ARGUMENT}, {@code TB-FLIGHT-RESOURCE-EXHAUSTED}, {@code TB-FLIGHT-UNAVAILABLE},
 * {@code TB-FLIGHT-CANCELLED}, {@code TB-FLIGHT-TIMED-OUT}, {@code TB-FLIGHT-INTERNAL}, and so on for
 * every {@link FlightStatusCode}. Immutable.
 */
public final class FlightCallException extends RuntimeException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The code prefix; the status follows it. */
    public static final String CODE_PREFIX = "TB-FLIGHT-";

    private final FlightStatusCode status;

    /**
     * @param call what was asked, for example {@code get embeddings}
     * @param cause Flight's exception, whose status and description this carries
     */
    public FlightCallException(String call, FlightRuntimeException cause) {
        super(call + " failed with " + cause.status().code() + ": " + description(cause), cause);
        this.status = cause.status().code();
    }

    private static String description(FlightRuntimeException cause) {
        String description = cause.status().description();
        return description == null || description.isEmpty() ? Objects.toString(cause.getMessage(), "(no description)")
                : description;
    }

    /** The Flight status of the failed call. */
    public FlightStatusCode status() {
        return status;
    }

    /** {@code TB-FLIGHT-} and the status, for example {@code TB-FLIGHT-NOT-FOUND}. */
    @Override
    public String code() {
        return CODE_PREFIX + status.name().replace('_', '-').toUpperCase(Locale.ROOT);
    }
}
