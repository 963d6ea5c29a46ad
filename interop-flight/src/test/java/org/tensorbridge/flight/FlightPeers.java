package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server side and a client side for every test, each with its own {@link RootAllocator}, closed after
 * the test: servers first (their {@code close()} closes their allocator, which throws on a leak), then
 * clients, then both root allocators, each asserted to hold nothing and to close without complaint. So
 * every test that uses this is a leak test of both sides. The servers' request logs are collected.
 */
final class FlightPeers implements BeforeEachCallback, AfterEachCallback {
    private RootAllocator serverMemory;
    private RootAllocator clientMemory;
    private final List<TensorFlightServer> servers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /**
     * Waits up to 20 s for a request-log line that {@code matches}: the server writes a call's line once the call
     * has ended on its side, which can be after the client already has its answer.
     */
    void awaitLogLine(Predicate<String> matches) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (logLines().stream().noneMatch(matches)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no request-log line matched in 20 s; the log: " + logLines());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the request log", e);
            }
        }
    }

    private List<String> logLines() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    RootAllocator serverMemory() {
        return serverMemory;
    }

    RootAllocator clientMemory() {
        return clientMemory;
    }

    /** A started server on localhost, any port, with {@code settings} applied. */
    TensorFlightServer server(Consumer<TensorFlightServerBuilder> settings) {
        TensorFlightServerBuilder builder = TensorFlightServer.builder(serverMemory).requestLog(log::add);
        settings.accept(builder);
        TensorFlightServer server = builder.start();
        servers.add(server);
        return server;
    }

    TensorFlightServer server() {
        return server(b -> { });
    }

    /** A client of {@code server} with {@code settings} applied, closed after the test. */
    TensorFlightClient client(TensorFlightServer server, Consumer<TensorFlightClient.Builder> settings) {
        TensorFlightClient.Builder builder = TensorFlightClient.builder(server.location(), clientMemory);
        settings.accept(builder);
        TensorFlightClient client = builder.connect();
        clients.add(client);
        return client;
    }

    TensorFlightClient client(TensorFlightServer server) {
        return client(server, b -> { });
    }

    /** A plain Arrow Flight client of {@code server} (no tensorbridge code on the client side). */
    FlightClient rawClient(TensorFlightServer server) {
        FlightClient client = FlightClient.builder(clientMemory, server.location()).build();
        clients.add(client);
        return client;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        serverMemory = new RootAllocator();
        clientMemory = new RootAllocator();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (TensorFlightServer server : servers) {
            assertDoesNotThrow(server::close, () -> "the server leaked: " + serverMemory.toVerboseString());
        }
        for (AutoCloseable client : clients) {
            client.close();
        }
        for (RootAllocator allocator : List.of(serverMemory, clientMemory)) {
            String report = allocator.toVerboseString();
            assertEquals(0, allocator.getAllocatedMemory(), () -> "Arrow memory left after "
                    + context.getDisplayName() + ":\n" + report);
            assertDoesNotThrow(allocator::close, () -> "Arrow memory leaked by " + context.getDisplayName() + ":\n"
                    + report);
        }
    }
}
