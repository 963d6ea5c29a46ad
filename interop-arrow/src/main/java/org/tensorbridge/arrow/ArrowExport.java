package org.tensorbridge.arrow;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/**
 * Dense tensors to {@code arrow.fixed_shape_tensor} columns: the first dimension is the batch (one row
 * per index), the others the shape of each row; {@code bool} elements are {@code arrow.bool8}. With a
 * permutation ({@link ExportOptions#withPermutation}) the column is a transposed view of the tensor,
 * still without a copy.
 *
 * <h2>Sharing</h2>
 * The column's data buffer <em>is</em> the tensor's memory when that memory is on the host: this takes
 * a host view of the tensor ({@code tensor.toHost(policy, access)}, see {@link ExportOptions}) and lends
 * its memory to the allocator ({@link BufferAllocator#wrapForeignAllocation}). The buffer's address is
 * the tensor memory's address, nothing is copied, and the result reports {@link Sharing#SHARED}. A
 * tensor on a device the host cannot address is copied to the host once (under {@code IF_NEEDED} or
 * {@code ALWAYS}; {@code NEVER} throws the backend's {@link org.tensorbridge.CopyRequiredException}),
 * and the result reports {@link Sharing#INDEPENDENT} and the bytes copied.
 *
 * <h2>Validity bitmaps</h2>
 * A tensor has no nulls, so both bitmaps of the column (one bit per row, one per element) have every bit
 * set. A read-only column (the default {@link org.tensorbridge.Access#READ_ONLY}) does not get bitmaps of
 * its own: it shares one block of set bits with every other read-only column, so that an export costs the
 * same for any tensor size. Reading such a column, writing it to IPC or the C Data Interface, slicing and
 * transferring it are all fine; setting a null in it ({@code setNull}, {@code reset}) is a write through a
 * read-only column, which {@link ExportOptions} already rules out, and would show as nulls in other
 * columns. A column exported {@link org.tensorbridge.Access#WRITABLE} gets bitmaps of its own, written
 * once per export (one bit per element), and may have nulls set in it like any Arrow vector.
 *
 * <h2>Lifetime</h2>
 * The host view taken here is the column's reference to the memory: it is closed when Arrow releases
 * the last buffer over that memory (the vector, and anything that retained its buffers, closed). Until
 * then the memory stays valid even if the tensor is closed first, and the allocator counts it (so
 * closing the allocator before the vector fails, as for any Arrow leak); closing the vector first
 * leaves the tensor untouched.
 *
 * <p>Stateless and thread-safe; the vectors returned are not thread-safe for writes.
 */
public final class ArrowExport {
    private ArrowExport() {
    }

    /** {@code export(tensor, name, allocator, ExportOptions.defaults())}. */
    public static ExportedTensor export(Tensor tensor, String name, BufferAllocator allocator) {
        return export(tensor, name, allocator, ExportOptions.defaults());
    }

    /**
     * A column named {@code name} with one row per index of {@code tensor}'s first dimension; see the
     * class comment for what is shared. The tensor stays the caller's, to close whenever they like.
     *
     * @throws ShapeMismatchException if the tensor is a scalar, or has more than {@code Integer.MAX_VALUE}
     *     rows
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16}, which has no Arrow type
     * @throws org.tensorbridge.CopyRequiredException under {@code NEVER} when the tensor's memory is
     *     not on the host
     * @throws InvalidTensorMetadataException if the dimension names or the permutation do not fit the row
     *     shape
     */
    public static ExportedTensor export(Tensor tensor, String name, BufferAllocator allocator, ExportOptions options) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        Objects.requireNonNull(options, "options must not be null; use ExportOptions.defaults()");
        ColumnPlan plan = ColumnPlan.of(tensor.dtype(), tensor.shape(), options.dimNames().orElse(null),
                options.permutation().orElse(null), name, allocator);
        HostArray host = tensor.toHost(options.policy(), options.access());
        FixedShapeTensorVector vector = plan.wrap(host, host);
        return new ExportedTensor(vector, host.sharing(), host.bytesCopied());
    }

    /** {@code export(array, name, allocator, null)}: no dimension names. */
    public static ExportedTensor export(HostArray array, String name, BufferAllocator allocator) {
        return export(array, name, allocator, null);
    }

    /**
     * A column over a host array's memory, without a copy, with optional names for the row dimensions.
     *
     * <p>The array is <em>handed over</em>: the column becomes its holder and closes it when Arrow
     * releases the last buffer over its memory. Do not close it yourself before the column is closed.
     * If this method throws before wrapping (wrong rank or dtype), the array is left as it was;
     * otherwise a failure closes it. The result reports the array's own {@link HostArray#sharing()} and
     * 0 bytes copied.
     *
     * @throws ShapeMismatchException if the array is a scalar, or has more than {@code Integer.MAX_VALUE} rows
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16}
     * @throws InvalidTensorMetadataException if {@code dimNames} does not fit the row shape
     */
    public static ExportedTensor export(HostArray array, String name, BufferAllocator allocator, List<String> dimNames) {
        Objects.requireNonNull(array, "array must not be null");
        ColumnPlan plan = ColumnPlan.of(array.dtype(), array.shape(), dimNames, null, name, allocator);
        FixedShapeTensorVector vector = plan.wrap(array, array);
        return new ExportedTensor(vector, array.sharing(), 0);
    }

    /** The column a tensor of this dtype and shape becomes, checked before any memory is touched. */
    private record ColumnPlan(String name, BufferAllocator allocator, FixedShapeTensorType type, DType dtype,
            long rows, long elements) {
        static ColumnPlan of(DType dtype, Shape shape, List<String> dimNames, int[] permutation, String name,
                BufferAllocator allocator) {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(allocator, "allocator must not be null");
            if (shape.rank() == 0) {
                throw new ShapeMismatchException("a scalar has no batch dimension to make rows of; reshape it to [1] "
                        + "for a column of one row");
            }
            long rows = shape.dim(0);
            if (rows > Integer.MAX_VALUE) {
                throw new ShapeMismatchException("shape " + shape + " has " + rows + " rows but an Arrow column holds at "
                        + "most " + Integer.MAX_VALUE + "; export it in several record batches");
            }
            ElementTypes.arrowType(dtype);
            long[] dims = shape.toArray();
            FixedShapeTensorMetadata metadata = FixedShapeTensorMetadata.of(Shape.of(Arrays.copyOfRange(dims, 1,
                    dims.length)));
            if (dimNames != null) {
                metadata = metadata.withDimNames(dimNames);
            }
            if (permutation != null) {
                metadata = metadata.withPermutation(permutation);
            }
            return new ColumnPlan(name, allocator, FixedShapeTensorType.of(metadata), dtype, rows,
                    shape.elementCount());
        }

        /**
         * The column over {@code array}'s memory; {@code release} is closed when Arrow lets go of it. A
         * read-only array gets validity bitmaps lent by {@link AllValidBitmaps}, a writable one bitmaps of its
         * own (a column that may be written may have nulls set in it).
         */
        FixedShapeTensorVector wrap(HostArray array, AutoCloseable release) {
            ArrowBuf data = HostArrayBuffers.wrap(array, allocator, release);
            ArrowBuf validity = null;
            FixedShapeTensorVector vector = null;
            try {
                validity = array.isReadOnly()
                        ? AllValidBitmaps.lend(allocator, HostArrayBuffers.bitmapBytes(Math.max(rows, elements)))
                        : allocator.getEmpty();
                vector = FixedShapeTensorVector.create(name, type, dtype, allocator);
                HostArrayBuffers.loadFixedWidth(vector.elements(), elements, data, bitmap(validity, elements));
                HostArrayBuffers.loadRows(vector.getUnderlyingVector(), rows, bitmap(validity, rows));
                return vector;
            } catch (RuntimeException | Error e) {
                if (vector != null) {
                    vector.close();
                }
                throw e;
            } finally {
                data.close();
                if (validity != null) {
                    validity.close();
                }
            }
        }

        /** The first bits of a lent bitmap, as many as {@code count} values need; an empty buffer stays empty. */
        private static ArrowBuf bitmap(ArrowBuf validity, long count) {
            return validity.capacity() == 0 ? validity : validity.slice(0, HostArrayBuffers.bitmapBytes(count));
        }
    }
}
