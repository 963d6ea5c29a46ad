/**
 * Tensors in Apache Arrow without copying, and the canonical extension type
 * {@code arrow.fixed_shape_tensor} that Arrow Java does not provide.
 *
 * <ul>
 *   <li>{@link org.tensorbridge.arrow.FixedShapeTensorType} and
 *       {@link org.tensorbridge.arrow.FixedShapeTensorVector}: the extension type, exactly as the Arrow
 *       canonical extensions specification defines it, registered with Arrow's
 *       {@code ExtensionTypeRegistry}; {@link org.tensorbridge.arrow.FixedShapeTensorMetadata} its
 *       validated parameters.</li>
 *   <li>{@link org.tensorbridge.arrow.ArrowExport}: a dense tensor (first dimension the batch) becomes
 *       a column whose data buffer is the tensor's memory when that memory is on the host; device
 *       tensors are copied once and the {@link org.tensorbridge.arrow.ExportedTensor} says so.</li>
 *   <li>{@link org.tensorbridge.arrow.ArrowImport}: a column becomes a tensor on a backend, over the
 *       Arrow memory when the backend wraps host buffers, and host arrays through that tensor; rows
 *       of a column ({@link org.tensorbridge.arrow.FixedShapeTensorVector#row(int,
 *       org.tensorbridge.Backend, org.tensorbridge.Access)}) likewise. The module implements no host
 *       array of its own.</li>
 *   <li>{@link org.tensorbridge.arrow.SparseExport} and {@link org.tensorbridge.arrow.SparseImport}:
 *       sparse tensors as COO record batches ({@link org.tensorbridge.arrow.SparseBatchSchema}).</li>
 *   <li>{@link org.tensorbridge.arrow.TensorIpc}: IPC files and streams (uncompressed, lz4_frame, zstd)
 *       through Arrow's own writers and readers, every valid input read and every malformed one refused,
 *       with the extension types registered.</li>
 *   <li>{@link org.tensorbridge.arrow.TensorMessage} and {@link org.tensorbridge.arrow.SparseTensorMessage}:
 *       Arrow's {@code Tensor} and {@code SparseTensor} IPC messages, as {@code pyarrow.ipc.write_tensor}
 *       and Arrow C++ write them.</li>
 *   <li>{@link org.tensorbridge.arrow.ArrowCData}: tensors and streams of record batches through the Arrow
 *       C Data Interface, for native engines in the same process (DuckDB).</li>
 *   <li>{@link org.tensorbridge.arrow.Bool8Type}: the canonical {@code arrow.bool8}, the element type of
 *       {@code bool} tensors.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Every exception of the package has a stable {@code code()}: {@link org.tensorbridge.arrow.MalformedIpcException},
 * {@link org.tensorbridge.arrow.InvalidTensorMetadataException}, {@link org.tensorbridge.arrow.NullElementsException},
 * {@link org.tensorbridge.arrow.ArrowLayoutException}, and the api's exceptions.
 *
 * <h2>Lifetime, in one rule</h2>
 * Memory shared between a tensor and Arrow stays valid until both sides have let go of it: the tensor
 * side through the api's reference counting, the Arrow side through the buffer's reference count.
 * Either may be closed first. The allocator counts shared memory until both are closed, so close the
 * allocator last; closing it earlier fails as Arrow fails on any leak.
 *
 * <h2>Requirements</h2>
 * Arrow reads the address of direct buffers through {@code java.nio} internals: run with
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED} (or {@code =org.apache.arrow.memory.core} on the
 * module path). The module depends on the api and Arrow only ({@code arrow-vector}, {@code arrow-c-data},
 * {@code arrow-compression}).
 */
package org.tensorbridge.arrow;
