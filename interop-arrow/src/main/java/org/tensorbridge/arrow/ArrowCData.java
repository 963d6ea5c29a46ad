package org.tensorbridge.arrow;

import java.util.List;
import java.util.Objects;
import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/**
 * Tensors through the Arrow C Data Interface ({@code arrow-c-data}), how native engines in the same
 * process (DuckDB, DataFusion, Polars, pyarrow) take Arrow memory without a copy: a tensor as an
 * {@code ArrowArray} and {@code ArrowSchema} pair, record batches with tensor columns as an
 * {@code ArrowArrayStream}, and back.
 *
 * <h2>What is shared</h2>
 * Export is {@link ArrowExport}'s followed by {@code Data.exportVector}: for host memory the C array's data
 * buffer is the tensor's memory (no copy), for device memory it is one reported copy. The C consumer
 * holds a reference until it calls the structure's {@code release}; the tensor may be closed before
 * that. An exported stream moves each batch's buffers by reference. Import is {@code Data.importVector}
 * followed by {@link ArrowImport}: on a backend that wraps host buffers the tensor is the producer's
 * memory, released to the producer when the tensor and its views are closed; a column with nulls, a
 * permutation, a variable-size list or an element type without a dtype is refused or copied as
 * {@link ArrowImport} says. An engine's column that is not a fixed-size list of numbers (DuckDB's
 * {@code FLOAT[]} list rather than its {@code FLOAT[n]} array, say) cannot be a tensor without a copy:
 * cast it to a fixed size in the engine.
 *
 * <h2>Lifetime</h2>
 * The allocator counts exported memory until the consumer releases it and imported memory until the
 * tensor is closed: close the allocator after both. Structures are the caller's to allocate and close,
 * as {@code arrow-c-data} has them. Stateless and thread-safe.
 */
public final class ArrowCData {
    private ArrowCData() {
    }

    /**
     * Exports {@code tensor} as an {@code arrow.fixed_shape_tensor} column named {@code name} into
     * {@code array} and {@code schema}; returns whether the C array shares the tensor's memory.
     *
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16}
     * @throws org.tensorbridge.CopyRequiredException under {@code NEVER} for device memory
     */
    public static Sharing exportTensor(Tensor tensor, String name, ExportOptions options, BufferAllocator allocator,
            ArrowArray array, ArrowSchema schema) {
        Objects.requireNonNull(array, "array must not be null; allocate one with ArrowArray.allocateNew(allocator)");
        Objects.requireNonNull(schema, "schema must not be null; allocate one with ArrowSchema.allocateNew(allocator)");
        try (ExportedTensor exported = ArrowExport.export(tensor, name, allocator, options)) {
            Data.exportVector(allocator, exported.vector(), null, array, schema);
            return exported.sharing();
        }
    }

    /**
     * Exports record batches (tensor columns from {@link ArrowExport}, and any other Arrow columns) as an
     * {@code ArrowArrayStream}. The batches are the stream's from now on, whatever happens: it closes each
     * once the consumer has taken its buffers, and the rest when the consumer releases the stream.
     *
     * @throws ArrowLayoutException if there is no batch, or the batches' schemas differ
     */
    public static void exportStream(List<VectorSchemaRoot> batches, BufferAllocator allocator, ArrowArrayStream stream) {
        Objects.requireNonNull(batches, "batches must not be null");
        Objects.requireNonNull(allocator, "allocator must not be null");
        Objects.requireNonNull(stream, "stream must not be null; allocate one with ArrowArrayStream.allocateNew(allocator)");
        try {
            if (batches.isEmpty()) {
                throw new ArrowLayoutException("batches is empty; a stream needs a schema, so give at least one batch "
                        + "(a batch of 0 rows is fine)");
            }
            for (VectorSchemaRoot batch : batches) {
                if (!batch.getSchema().equals(batches.get(0).getSchema())) {
                    throw new ArrowLayoutException("the batches have different schemas: " + batches.get(0).getSchema()
                            + " and " + batch.getSchema() + "; every batch of a stream has one schema");
                }
            }
        } catch (RuntimeException e) {
            batches.forEach(VectorSchemaRoot::close);
            throw e;
        }
        Data.exportArrayStream(allocator, new RootsReader(allocator, batches), stream);
    }

    /**
     * The tensor of an {@code arrow.fixed_shape_tensor} column (its logical tensors), or of a plain
     * fixed-width column (rank 1), in {@code array} and {@code schema}, which this consumes.
     *
     * @throws ArrowLayoutException for a plain FixedSizeList (give its row shape), a column that is not
     *     fixed-width numbers, a slice (an array or child with a non-zero offset, which Arrow Java's import would
     *     read from its first element) or an array already released
     */
    public static Tensor importTensor(ArrowArray array, ArrowSchema schema, BufferAllocator allocator,
            Backend backend, CopyPolicy policy) {
        FixedShapeTensorType.ensureRegistered();
        UnslicedArrays.require(array, schema);
        try (FieldVector vector = Data.importVector(allocator, array, schema, null)) {
            return vector instanceof FixedShapeTensorVector tensors ? ArrowImport.toTensor(tensors, backend, policy)
                    : ArrowImport.toTensor(vector, backend, policy);
        }
    }

    /**
     * The tensor of shape {@code [rows] + rowShape} of a plain FixedSizeList column in {@code array} and
     * {@code schema} (as engines export fixed-size arrays, DuckDB's {@code FLOAT[n]} among them), which
     * this consumes.
     *
     * @throws ArrowLayoutException if the column is not a FixedSizeList, is a slice, or was already released
     * @throws org.tensorbridge.ShapeMismatchException if the list size is not {@code rowShape}'s element count
     */
    public static Tensor importTensor(ArrowArray array, ArrowSchema schema, Shape rowShape, BufferAllocator allocator,
            Backend backend, CopyPolicy policy) {
        FixedShapeTensorType.ensureRegistered();
        UnslicedArrays.require(array, schema);
        try (FieldVector vector = Data.importVector(allocator, array, schema, null)) {
            FieldVector storage = vector instanceof FixedShapeTensorVector tensors ? tensors.getUnderlyingVector() : vector;
            if (!(storage instanceof FixedSizeListVector list)) {
                throw new ArrowLayoutException("the column " + vector.getName() + " is " + vector.getField().getType()
                        + ", not a FixedSizeList; a tensor with a row shape needs fixed-size rows (in DuckDB, cast a "
                        + "list to an array: column::FLOAT[n])");
            }
            return ArrowImport.toTensor(list, rowShape, backend, policy);
        }
    }

    /**
     * A reader of the batches of {@code stream}, which this consumes, with the extension types of this
     * package registered: convert its columns with {@link ArrowImport}. The caller closes the reader.
     *
     * <p>The batches must not be slices (a non-zero {@code offset}): Arrow Java 19's stream reader drops the
     * offset and reads a slice from its first element, and it imports each batch out of this library's reach, so
     * no check is possible here (the array imports refuse slices).
     */
    public static ArrowReader importStream(ArrowArrayStream stream, BufferAllocator allocator) {
        Objects.requireNonNull(stream, "stream must not be null");
        FixedShapeTensorType.ensureRegistered();
        return Data.importArrayStream(allocator, stream);
    }
}
