package org.tensorbridge.flight;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightConstants;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.ServerHeaderMiddleware;
import org.apache.arrow.flight.Ticket;

/**
 * The Flight methods of a tensor server over its {@link PublishedStore}: {@code ListFlights} and
 * {@code GetFlightInfo} describe, {@code DoGet} streams ({@link BatchStreamer}), {@code DoPut} receives and
 * publishes on completion ({@link PutReceiver}), {@code DoAction("delete")} removes. Refusals are Flight
 * statuses whose descriptions name the fix. Every call in progress is counted, so that the server closes
 * its memory only after the last one has let go. Thread-safe.
 */
final class TensorFlightProducer extends NoOpFlightProducer {
    /** The action that deletes a name (its UTF-8 bytes the body). */
    static final String DELETE = "delete";
    /** The call header in which a client asks {@code DoGet} for batches of up to that many bytes. */
    static final String BATCH_BYTES_HEADER = "x-tensorbridge-batch-bytes";

    private final PublishedStore store;
    private final ServerSettings settings;
    private final RequestLog log;
    private final Phaser calls = new Phaser(1);
    private final ExecutorService streams;

    /** {@code executor} runs the {@code DoGet} streams; the caller shuts it down after {@link #awaitCalls}. */
    TensorFlightProducer(PublishedStore store, ServerSettings settings, RequestLog log, ExecutorService executor) {
        this.streams = executor;
        this.store = store;
        this.settings = settings;
        this.log = log;
    }

    @Override
    public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
        String prefix = criteria == null || criteria.getExpression() == null ? ""
                : new String(criteria.getExpression(), StandardCharsets.UTF_8);
        List<Published> entries = store.acquireAll();
        try {
            int listed = 0;
            for (Published entry : entries) {
                if (entry.info().name().startsWith(prefix)) {
                    listener.onNext(entry.flightInfo());
                    listed++;
                }
            }
            subject(context, listed + " names" + (prefix.isEmpty() ? "" : " starting with " + prefix));
            listener.onCompleted();
        } finally {
            entries.forEach(Published::release);
        }
    }

    @Override
    public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
        String name = name(() -> TensorNames.of(descriptor));
        subject(context, name);
        Published entry = found(name);
        try {
            return entry.flightInfo();
        } finally {
            entry.release();
        }
    }

    /**
     * Streams on a thread of its own and returns at once: gRPC delivers a call's callbacks (the client is ready
     * for more, the client is gone) on the thread that called this, so streaming here would hide them until
     * the stream ended.
     */
    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
        calls.register();
        try {
            String name = name(() -> TensorNames.of(ticket));
            subject(context, name);
            long batchBytes = batchBytes(context);
            Published entry = found(name);
            // The call's middleware is found through gRPC's context, which the streaming thread does not have.
            RequestLog.Call call = context.getMiddleware(RequestLog.KEY);
            try {
                streams.execute(() -> stream(call, name, entry, batchBytes, listener));
            } catch (RuntimeException | Error e) {
                entry.release();
                calls.arriveAndDeregister();
                throw e;
            }
        } catch (FlightRuntimeException e) {
            calls.arriveAndDeregister();
            listener.error(e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            listener.error(CallStatus.UNAVAILABLE.withDescription("the server is stopping").toRuntimeException());
        }
    }

    private void stream(RequestLog.Call call, String name, Published entry, long batchBytes,
            ServerStreamListener listener) {
        BatchStreamer streamer = new BatchStreamer(settings.allocator(), settings.stallMillis());
        try {
            BatchStreamer.Outcome outcome = streamer.stream(entry, batchBytes, listener);
            long sent = streamer.batchesSent();
            if (call != null) {
                call.subject(name + ", " + sent + (sent == 1 ? " batch, " : " batches, ") + entry.info().bytes()
                        + " bytes");
            }
            if (outcome == BatchStreamer.Outcome.COMPLETED) {
                listener.completed();
            } else if (outcome == BatchStreamer.Outcome.CANCELLED) {
                // A call the client cancelled is never closed by the server, so the request log has no line for it.
                log.event("DoGet " + name + " -> CANCELLED by the client after " + streamer.batchesSent() + " batches");
            }
        } catch (RuntimeException e) {
            listener.error(CallStatus.INTERNAL.withDescription("streaming failed: " + e).withCause(e)
                    .toRuntimeException());
        } finally {
            entry.release();
            calls.arriveAndDeregister();
        }
    }

    @Override
    public Runnable acceptPut(CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream) {
        calls.register();
        PutReceiver receiver = new PutReceiver(settings.allocator(), settings.maxTensorBytes(), settings::checkBackend);
        return () -> {
            try {
                // The root first: Flight sets the descriptor with it, and fails only the root when the call ends.
                flightStream.getRoot();
                String name = name(() -> TensorNames.of(flightStream.getDescriptor()));
                subject(context, name);
                Published entry = receiver.receive(name, flightStream);
                subject(context, entry.info() + ", " + receiver.batchesReceived() + " batches received");
                store.put(entry);
                ackStream.onCompleted();
            } catch (FlightRuntimeException e) {
                refuse(ackStream, e);
            } catch (RuntimeException e) {
                refuse(ackStream, CallStatus.INTERNAL.withDescription("the put failed: " + e).withCause(e)
                        .toRuntimeException());
            } finally {
                calls.arriveAndDeregister();
            }
        };
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
        if (!DELETE.equals(action.getType())) {
            listener.onError(CallStatus.UNIMPLEMENTED.withDescription("the server has no action \"" + TensorNames
                    .printable(action.getType()) + "\"; its one action is \"delete\" with the name as the body")
                    .toRuntimeException());
            return;
        }
        try {
            String name = name(() -> TensorNames.check(new String(action.getBody(), StandardCharsets.UTF_8)));
            subject(context, name);
            if (!store.remove(name)) {
                throw notFound(name);
            }
            listener.onNext(new Result(("deleted " + name).getBytes(StandardCharsets.UTF_8)));
            listener.onCompleted();
        } catch (FlightRuntimeException e) {
            listener.onError(e);
        }
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener) {
        listener.onNext(new ActionType(DELETE, "Deletes the tensor or table named by the body (its UTF-8 name)"));
        listener.onCompleted();
    }

    /** Waits until every call in progress has ended; {@code false} if some are still running after the wait. */
    boolean awaitCalls(long millis) throws InterruptedException {
        int phase = calls.arrive();
        try {
            calls.awaitAdvanceInterruptibly(phase, millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private long batchBytes(CallContext context) {
        ServerHeaderMiddleware headers = context.getMiddleware(FlightConstants.HEADER_KEY);
        String asked = headers == null ? null : headers.headers().get(BATCH_BYTES_HEADER);
        if (asked == null) {
            return settings.batchBytes();
        }
        try {
            long bytes = Long.parseLong(asked.trim());
            if (bytes > 0) {
                return Math.min(bytes, settings.maxMessageBytes());
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw CallStatus.INVALID_ARGUMENT.withDescription("header " + BATCH_BYTES_HEADER + " is \"" + TensorNames
                .printable(asked) + "\"; give a positive number of bytes, or leave it out for the server's default of "
                + settings.batchBytes()).toRuntimeException();
    }

    private Published found(String name) {
        Published entry = store.acquire(name);
        if (entry == null) {
            throw notFound(name);
        }
        return entry;
    }

    private FlightRuntimeException notFound(String name) {
        return CallStatus.NOT_FOUND.withDescription("no tensor or table is published as \"" + name + "\"; "
                + "ListFlights lists the names (pyarrow: client.list_flights()), and " + store.names().size()
                + " are published now").toRuntimeException();
    }

    /** Ends a put with {@code failure}, unless the call has already ended (refused before, or cancelled). */
    private static void refuse(StreamListener<PutResult> ackStream, FlightRuntimeException failure) {
        try {
            ackStream.onError(failure);
        } catch (RuntimeException callAlreadyEnded) {
            // gRPC refuses to end a call twice; the client has its status already.
        }
    }

    private static String name(java.util.function.Supplier<String> parse) {
        try {
            return parse.get();
        } catch (InvalidTensorNameException e) {
            throw CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException();
        }
    }

    private static void subject(CallContext context, String text) {
        RequestLog.Call call = context.getMiddleware(RequestLog.KEY);
        if (call != null) {
            call.subject(text);
        }
    }
}
