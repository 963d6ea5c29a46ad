/**
 * Tensors across machines on Apache Arrow Flight: a server that publishes named tensors, and a client that
 * imports what it receives without a copy.
 *
 * <ul>
 *   <li>{@link org.tensorbridge.flight.TensorFlightServer} (built with
 *       {@link org.tensorbridge.flight.TensorFlightServerBuilder}): publishes dense tensors (one
 *       {@code arrow.fixed_shape_tensor} column), sparse tensors (interop-arrow's COO record-batch layout,
 *       {@link org.tensorbridge.arrow.SparseBatchSchema}) and tables with tensor columns; {@code ListFlights}
 *       and {@code GetFlightInfo} describe them ({@link org.tensorbridge.flight.FlightTensorInfo}: in the
 *       schema metadata), {@code DoGet} streams bounded batches, {@code DoPut} publishes a stream once it is
 *       complete, {@code DoAction("delete")} removes; bearer-token or basic authentication through Flight's
 *       call-header authentication, TLS, and limits on messages, puts and memory.</li>
 *   <li>{@link org.tensorbridge.flight.TensorFlightClient}: {@code get(name, backend, policy)} gives a
 *       {@link org.tensorbridge.flight.FetchedTensor} that is the received memory on the CPU backend (reported
 *       {@code SHARED}; {@code NEVER} works) and a reported copy on the GPU backend; {@code put(name, tensor)}
 *       sends the tensor's own memory; sparse tensors and tables too. It reads dense tensors from any Flight
 *       server that sends one {@code arrow.fixed_shape_tensor} column ({@code pyarrow.flight}).</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * A refused call reaches a client as a Flight status whose description names the fix; the Java client throws
 * {@link org.tensorbridge.flight.FlightCallException} ({@code TB-FLIGHT-<STATUS>}). Names the server does not
 * take are {@link org.tensorbridge.flight.InvalidTensorNameException} ({@code TB-FLIGHT-NAME}), settings that
 * cannot work {@link org.tensorbridge.flight.FlightSettingException} ({@code TB-FLIGHT-SETTING}); data of the
 * wrong layout is interop-arrow's {@link org.tensorbridge.arrow.ArrowLayoutException}.
 *
 * <h2>Lifetime, in one rule</h2>
 * Memory is counted by Arrow allocators that throw when closed while something is still held: the server's
 * (a child of the allocator given to its builder, closed by {@code close()}) and the client's (the one given to
 * its builder, which received tensors keep until they are closed). Close tensors, then servers and clients,
 * then the allocators.
 *
 * <h2>Requirements</h2>
 * Arrow reads the address of direct buffers through {@code java.nio} internals: run with
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}. The module depends on the api, interop-arrow and
 * Arrow Flight ({@code flight-core}, with gRPC and Netty at the versions Flight was built with).
 */
package org.tensorbridge.flight;
