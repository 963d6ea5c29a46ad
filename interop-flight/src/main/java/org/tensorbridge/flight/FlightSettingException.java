package org.tensorbridge.flight;

import org.tensorbridge.TensorBridgeException;

/**
 * A setting of {@link TensorFlightServerBuilder} or {@link TensorFlightClient.Builder} that cannot work: a
 * limit that is not positive, a certificate or key file that is missing or unreadable, basic authentication
 * without a password. The message names the setting and a value that works. Nothing was started.
 * Immutable.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class FlightSettingException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-FLIGHT-SETTING";

    /** @param message which setting, what is wrong with it, and a value that works */
    public FlightSettingException(String message) {
        super(message);
    }

    /**
     * @param message which setting, what is wrong with it, and a value that works
     * @param cause the underlying failure
     */
    public FlightSettingException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
