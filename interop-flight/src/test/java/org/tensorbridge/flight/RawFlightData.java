package org.tensorbridge.flight;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.impl.Flight;
import org.apache.arrow.flight.impl.FlightServiceGrpc;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * A Flight connection driven message by message on gRPC itself, below Flight's client and without Arrow
 * memory on this side, so that a test can do what no Flight client does: send a record batch whose body is
 * shorter than its buffers claim, or drop the connection in the middle of a stream ({@link #disconnect()},
 * gRPC's {@code shutdownNow}: every call on it is cut at once, as when a client process dies).
 */
final class RawFlightData implements AutoCloseable {
    private final ManagedChannel channel;

    RawFlightData(int port) {
        this.channel = NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    /**
     * Puts {@code root}'s schema and one batch of it under {@code name}, the batch's body cut to
     * {@code bodyBytes} bytes; returns the status the server ended the call with.
     */
    static Status putTruncated(int port, String name, VectorSchemaRoot root, int bodyBytes) throws Exception {
        try (RawFlightData connection = new RawFlightData(port)) {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            StreamObserver<Flight.FlightData> put = connection.startPut(name, root, ended);
            Message batch = Message.of(root);
            put.onNext(Flight.FlightData.newBuilder().setDataHeader(batch.header())
                    .setDataBody(batch.body().substring(0, bodyBytes)).build());
            put.onCompleted();
            return ended.get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts a put of {@code name}: its descriptor and {@code root}'s schema are sent. */
    StreamObserver<Flight.FlightData> startPut(String name, VectorSchemaRoot root, CompletableFuture<Status> ended) {
        StreamObserver<Flight.FlightData> put = FlightServiceGrpc.newStub(channel).doPut(new StreamObserver<>() {
            @Override
            public void onNext(Flight.PutResult value) {
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
        Flight.FlightDescriptor descriptor = Flight.FlightDescriptor.newBuilder()
                .setType(Flight.FlightDescriptor.DescriptorType.PATH).addPath(name).build();
        put.onNext(Flight.FlightData.newBuilder().setFlightDescriptor(descriptor)
                .setDataHeader(ByteString.copyFrom(MessageSerializer.serializeMetadata(root.getSchema()))).build());
        return put;
    }

    /** Sends {@code root}'s schema again on a put, as a stream that changes its schema midway would. */
    static void sendSchema(StreamObserver<Flight.FlightData> put, VectorSchemaRoot root) {
        put.onNext(Flight.FlightData.newBuilder()
                .setDataHeader(ByteString.copyFrom(MessageSerializer.serializeMetadata(root.getSchema()))).build());
    }

    /** Sends the rows of {@code batch} on a put. */
    static void sendBatch(StreamObserver<Flight.FlightData> put, VectorSchemaRoot batch) throws Exception {
        Message message = Message.of(batch);
        put.onNext(Flight.FlightData.newBuilder().setDataHeader(message.header()).setDataBody(message.body()).build());
    }

    /** Starts a {@code DoGet} of {@code ticket} and returns once {@code messages} messages have arrived. */
    void getSome(String ticket, int messages) throws InterruptedException {
        CountDownLatch arrived = new CountDownLatch(messages);
        FlightServiceGrpc.newStub(channel).doGet(Flight.Ticket.newBuilder().setTicket(ByteString.copyFromUtf8(ticket))
                .build(), new ClientResponseObserver<Flight.Ticket, Flight.FlightData>() {
                    private ClientCallStreamObserver<Flight.Ticket> call;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<Flight.Ticket> requestStream) {
                        call = requestStream;
                        requestStream.disableAutoInboundFlowControl();
                    }

                    @Override
                    public void onNext(Flight.FlightData value) {
                        arrived.countDown();
                        if (arrived.getCount() > 0) {
                            call.request(1); // and no more after the last one wanted
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        if (!arrived.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError(messages + " messages of " + ticket + " did not arrive");
        }
    }

    /** Drops the connection: every call on it ends at once. */
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        disconnect();
    }

    /** A batch as Flight sends it: the IPC message header and the body. */
    private record Message(ByteString header, ByteString body) {
        static Message of(VectorSchemaRoot root) throws Exception {
            try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MessageSerializer.writeBatchBuffers(new WriteChannel(Channels.newChannel(bytes)), batch);
                return new Message(ByteString.copyFrom(MessageSerializer.serializeMetadata(batch)),
                        ByteString.copyFrom(bytes.toByteArray()));
            }
        }
    }
}
