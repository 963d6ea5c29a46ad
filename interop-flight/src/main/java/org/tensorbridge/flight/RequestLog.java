package org.tensorbridge.flight;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServerMiddleware;
import org.apache.arrow.flight.RequestContext;
import org.apache.arrow.flight.auth2.Auth2Constants;

/**
 * One line per Flight call, written when the call ends: the time, the method, what the call was about
 * (set by the producer: the name, the batches), the status with its description when it failed, the
 * authenticated peer and the duration, for example
 * {@code 2026-01-01T12:00:00.123Z DoGet embeddings 1 batch 256 MiB -> OK (token, 212 ms)}. A Flight
 * server middleware; calls refused before they start (by authentication) are logged by
 * {@link HeaderAuthentication}. The sink is called from gRPC's threads and must be thread-safe.
 */
final class RequestLog implements FlightServerMiddleware.Factory<RequestLog.Call> {
    static final FlightServerMiddleware.Key<Call> KEY = FlightServerMiddleware.Key.of("tensorbridge-request-log");

    private final Consumer<String> sink;

    RequestLog(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public Call onCallStarted(CallInfo info, CallHeaders incomingHeaders, RequestContext context) {
        return new Call(info, context);
    }

    /** A line for something that is no call (a refusal before the call started, a server event). */
    void event(String text) {
        sink.accept(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + text);
    }

    /** One call's line; the producer adds what the call was about. Thread-safe. */
    final class Call implements FlightServerMiddleware {
        private final CallInfo info;
        private final RequestContext context;
        private final long started = System.nanoTime();
        private volatile String subject = "";

        Call(CallInfo info, RequestContext context) {
            this.info = info;
            this.context = context;
        }

        /** What the call was about: the name, the batches, the bytes. */
        void subject(String text) {
            subject = text;
        }

        @Override
        public void onBeforeSendingHeaders(CallHeaders outgoingHeaders) {
        }

        @Override
        public void onCallCompleted(CallStatus status) {
            String peer = context.get(Auth2Constants.PEER_IDENTITY_KEY);
            double millis = (System.nanoTime() - started) / 1e6;
            String description = status.description();
            String outcome = status.code().name() + (description == null || description.isEmpty() ? "" : ": "
                    + description);
            event(method(info) + (subject.isEmpty() ? "" : " " + subject) + " -> " + outcome + " ("
                    + (peer == null || peer.isEmpty() ? "" : peer + ", ")
                    + String.format(Locale.ROOT, "%.1f ms)", millis));
        }

        @Override
        public void onCallErrored(Throwable err) {
        }
    }

    /** {@code DoGet}, {@code ListFlights}: the method as the Flight specification writes it. */
    static String method(CallInfo info) {
        StringBuilder name = new StringBuilder();
        for (String word : info.method().name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
