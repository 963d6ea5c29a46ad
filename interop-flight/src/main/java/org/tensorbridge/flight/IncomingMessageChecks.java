package org.tensorbridge.flight;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Checks each message a client streams to the server ({@code DoPut}, {@code DoExchange}) before Arrow Flight
 * Java 19 handles it, where Flight's own handling would fail badly:
 * <ul>
 *   <li>A schema Arrow cannot read (an {@code arrow.fixed_shape_tensor} field with broken metadata, say):
 *       Flight parses it on gRPC's thread, and the exception ends the call with {@code UNKNOWN} ("Application
 *       error processing RPC") while the producer waits forever for the stream's descriptor. Here the schema
 *       is parsed first with Arrow's {@link MessageSerializer#deserializeSchema(MessageMetadataResult)}, and a
 *       failure is {@code INVALID_ARGUMENT} naming it.</li>
 *   <li>A second schema in one stream: Flight makes a new root for it and loads the later batches there, while
 *       its stream keeps handing out the first root, so the put would be published with those rows left out.
 *       A put carries one schema; the call is refused.</li>
 *   <li>A record or dictionary batch whose buffers lie outside its body: Flight's
 *       {@code ArrowMessage.asRecordBatch} retains the body and then slices it, and the slice's
 *       {@code IndexOutOfBoundsException} skips the release, leaking the body for good. Here the buffers are
 *       compared with the body first.</li>
 * </ul>
 * Flight's message class is not public, so its metadata and body are read reflectively
 * ({@code asSchemaMessage()} and the field {@code bufs}); {@code RefusalTest} fails if that stops working.
 * Any other exception Flight throws while handling a message is refused as {@code INVALID_ARGUMENT} too. A
 * refused call is closed with that status, the message is released, and Flight's stream is told the call
 * ended, so the producer stops waiting. Stateless and thread-safe; installed on the server's gRPC builder.
 */
final class IncomingMessageChecks implements ServerInterceptor {
    private static final Method METADATA;
    private static final Field BODIES;
    private static final RuntimeException UNAVAILABLE;

    static {
        Method metadata = null;
        Field bodies = null;
        RuntimeException failure = null;
        try {
            Class<?> message = Class.forName("org.apache.arrow.flight.ArrowMessage");
            metadata = message.getDeclaredMethod("asSchemaMessage");
            metadata.setAccessible(true);
            bodies = message.getDeclaredField("bufs");
            bodies.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = new IllegalStateException("Arrow Flight's ArrowMessage has no asSchemaMessage() or bufs any "
                    + "more; update IncomingMessageChecks for this Arrow version", e);
        }
        METADATA = metadata;
        BODIES = bodies;
        UNAVAILABLE = failure;
    }

    /** Whether the reflective reading of Flight's messages works with this Arrow version. */
    static boolean available() {
        return UNAVAILABLE == null;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        if (!"DoPut".equals(method) && !"DoExchange".equals(method)) {
            return next.startCall(call, headers);
        }
        OnceClosingCall<Q, R> once = new OnceClosingCall<>(call);
        return new Checked<>(next.startCall(once, headers), once);
    }

    /** The metadata of Flight's {@code message}, null for a message without one. */
    static MessageMetadataResult metadata(Object message) {
        if (UNAVAILABLE != null) {
            throw UNAVAILABLE;
        }
        try {
            return (MessageMetadataResult) METADATA.invoke(message);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading Flight's message failed", e);
        }
    }

    /**
     * The reason {@code message}, whose {@link #metadata} is {@code metadata}, must not reach Flight, or {@code null}
     * if it may. {@code schemaSeen}: the call already carried a schema.
     */
    static String problem(Object message, MessageMetadataResult metadata, int index, boolean schemaSeen) {
        List<?> bodies;
        try {
            bodies = (List<?>) BODIES.get(message);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading Flight's message failed", e);
        }
        if (metadata == null) {
            return null;
        }
        byte type = metadata.headerType();
        try {
            if (type == MessageHeader.Schema) {
                if (schemaSeen) {
                    // Flight would load the later batches into a root its stream does not hand out: rows lost.
                    return "message " + index + " is a second schema: the stream's schema changed midway; send one "
                            + "schema per put, and data of another schema in a put of its own";
                }
                MessageSerializer.deserializeSchema(metadata);
                return null;
            }
            RecordBatch batch = null;
            if (type == MessageHeader.RecordBatch) {
                batch = (RecordBatch) metadata.getMessage().header(new RecordBatch());
            } else if (type == MessageHeader.DictionaryBatch) {
                batch = ((DictionaryBatch) metadata.getMessage().header(new DictionaryBatch())).data();
            }
            if (batch == null) {
                return null;
            }
            // Flight reads the body into a buffer rounded up to a power of two; its writer index is the body's size.
            long body = bodies.isEmpty() ? 0 : ((ArrowBuf) bodies.get(0)).writerIndex();
            for (int i = 0; i < batch.buffersLength(); i++) {
                Buffer buffer = batch.buffers(i);
                if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() + buffer.length() > body) {
                    return "message " + index + " is a batch whose buffer " + i + " lies at " + buffer.offset() + ".."
                            + (buffer.offset() + buffer.length()) + " but its body has " + body + " bytes; the sender "
                            + "wrote a truncated or inconsistent message";
                }
            }
            return null;
        } catch (RuntimeException e) {
            return "message " + index + " cannot be read: " + e.getMessage();
        }
    }

    /** Checks each message before it reaches Flight; refuses the call on the first bad one. */
    private static final class Checked<Q, R>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final OnceClosingCall<Q, R> call;
        private int index;
        private boolean refused;
        private boolean schemaSeen;

        Checked(ServerCall.Listener<Q> delegate, OnceClosingCall<Q, R> call) {
            super(delegate);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            if (refused) {
                release(message);
                return;
            }
            MessageMetadataResult metadata = metadata(message);
            String problem = problem(message, metadata, index++, schemaSeen);
            schemaSeen |= metadata != null && metadata.headerType() == MessageHeader.Schema;
            if (problem != null) {
                release(message);
                refuse(problem);
                return;
            }
            try {
                super.onMessage(message);
            } catch (RuntimeException e) {
                refuse("message " + (index - 1) + " was refused by Arrow Flight: " + e);
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }

        private void refuse(String description) {
            refused = true;
            call.close(Status.INVALID_ARGUMENT.withDescription(description), new Metadata());
            // Flight's stream learns that the call is over, so that the producer waiting on it stops.
            super.onCancel();
        }

        private static void release(Object message) {
            if (message instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Nothing more can be done with a message that fails to close.
                }
            }
        }
    }

    /** A call closed at most once, whichever of this interceptor and Flight closes it first. Thread-safe. */
    private static final class OnceClosingCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private boolean closed;

        OnceClosingCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }
    }
}
