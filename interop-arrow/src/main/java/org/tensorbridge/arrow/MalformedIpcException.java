package org.tensorbridge.arrow;

import java.io.IOException;
import org.tensorbridge.TensorBridgeException;

/**
 * Bytes read through {@link TensorIpc} that are not a well-formed Arrow IPC stream or file: a message
 * whose buffers lie outside its body, a length that does not fit, a record batch whose buffers are
 * too short for its row count, a field whose storage has no element child, and the like. The message
 * names the part of the stream that was wrong and what was found; the cause, when there is one, is
 * the error Arrow's reader raised.
 *
 * <p>It is an {@link IOException}, as every other refusal of Arrow's readers is, so code that handles
 * a truncated stream handles this too. Nothing read from a batch that fails is returned, and the
 * reader leaves no buffer open in the allocator. Immutable.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class MalformedIpcException extends IOException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-ARROW-MALFORMED-IPC";

    /** @param message what was wrong, where in the stream, and the offending value */
    public MalformedIpcException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, where in the stream, and the offending value
     * @param cause Arrow's error
     */
    public MalformedIpcException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
