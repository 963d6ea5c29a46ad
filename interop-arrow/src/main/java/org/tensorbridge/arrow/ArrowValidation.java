package org.tensorbridge.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListViewVector;
import org.apache.arrow.vector.complex.ListViewVector;
import org.apache.arrow.vector.complex.RunEndEncodedVector;
import org.apache.arrow.vector.validate.ValidateUtil;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;
import org.apache.arrow.vector.validate.ValidateVectorDataVisitor;

/**
 * Arrow's own validation of a loaded vector ({@link ValidateVectorBufferVisitor} then
 * {@link ValidateVectorDataVisitor}, what {@code ValueVectorUtility.validateFull} runs), with the
 * gaps of Arrow Java 19 filled in. Each override names the gap it fills; {@code ArrowValidationGapsTest}
 * fails once Arrow closes one, so that the override can go.
 *
 * <ul>
 *   <li>{@code ValidateVectorDataVisitor.visit(FixedSizeListVector)} asks the vector for an offset
 *       buffer, which a FixedSizeList does not have: it throws {@link UnsupportedOperationException} for
 *       every FixedSizeList with a row, every tensor column among them.</li>
 *   <li>Neither visitor knows list views: {@code VectorVisitor}'s defaults throw
 *       {@link UnsupportedOperationException} for {@code ListView} and {@code LargeListView}, and the data
 *       visitor for {@code RunEndEncoded}.</li>
 *   <li>Neither checks what a dense union's {@code setValueCount} will do: it gives each child as many
 *       values as the type buffer names it, and a child loaded with fewer is grown from its IPC buffers,
 *       which can throw after allocating (and leak what it allocated).</li>
 * </ul>
 * The type visitor ({@code ValidateVectorTypeVisitor}) is not run: it compares each vector with its
 * field, and the readers make every vector from its field, so no input can fail it. Stateless.
 */
final class ArrowValidation {
    private ArrowValidation() {
    }

    /**
     * Validates {@code vector} and its children at their current value counts: buffers long enough,
     * offsets in order and inside the child, and the gaps above.
     *
     * @throws ValidateUtil.ValidateException naming what is inconsistent
     */
    static void validate(FieldVector vector) {
        vector.accept(new BufferChecks(), null);
        vector.accept(new DataChecks(), null);
    }

    /** Arrow's buffer checks, plus list views and dense union child counts. */
    static final class BufferChecks extends ValidateVectorBufferVisitor {
        /** Fills the list view gap: the validity, offset and size buffers, and every view inside the child. */
        @Override
        public Void visit(ListViewVector vector, Void value) {
            checkViews(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), vector.getSizeBuffer(),
                    Integer.BYTES, vector.getDataVector());
            return null;
        }

        /** Fills the large list view gap as for {@link ListViewVector}, with 64-bit offsets and sizes. */
        @Override
        public Void visit(LargeListViewVector vector, Void value) {
            checkViews(vector, vector.getValidityBuffer(), vector.getOffsetBuffer(), vector.getSizeBuffer(),
                    Long.BYTES, vector.getDataVector());
            return null;
        }

        /**
         * Arrow's checks, then the dense union gap: each child must hold at least as many values as the
         * type buffer gives it.
         */
        @Override
        public Void visit(DenseUnionVector vector, Void value) {
            super.visit(vector, value);
            int[] counts = new int[Byte.MAX_VALUE + 1];
            for (int i = 0; i < vector.getValueCount(); i++) {
                byte typeId = vector.getTypeId(i);
                ValidateUtil.validateOrThrow(typeId >= 0 && vector.getVectorByType(typeId) != null,
                        "Dense union type id %s at position %s names no child.", typeId, i);
                counts[typeId]++;
            }
            for (int typeId = 0; typeId < counts.length; typeId++) {
                if (counts[typeId] > 0) {
                    int children = vector.getVectorByType((byte) typeId).getValueCount();
                    ValidateUtil.validateOrThrow(counts[typeId] <= children, "Dense union type id %s is used %s "
                            + "times but its child has %s values.", typeId, counts[typeId], children);
                }
            }
            return null;
        }

        private void checkViews(ValueVector vector, ArrowBuf validity, ArrowBuf offsets, ArrowBuf sizes, int width,
                FieldVector child) {
            long count = vector.getValueCount();
            ValidateUtil.validateOrThrow(validity.capacity() * 8 >= count, "The validity buffer of %s bytes is too "
                    + "short for %s list views.", validity.capacity(), count);
            ValidateUtil.validateOrThrow(offsets.capacity() >= count * width && sizes.capacity() >= count * width,
                    "The offset and size buffers (%s and %s bytes) are too short for %s list views.",
                    offsets.capacity(), sizes.capacity(), count);
            long childCount = child.getValueCount();
            for (long i = 0; i < count; i++) {
                long offset = width == Integer.BYTES ? offsets.getInt(i * width) : offsets.getLong(i * width);
                long size = width == Integer.BYTES ? sizes.getInt(i * width) : sizes.getLong(i * width);
                // Arrow Java reads both as int, even in a large list view: larger values cannot be loaded.
                ValidateUtil.validateOrThrow(offset >= 0 && size >= 0 && offset <= Integer.MAX_VALUE
                        && size <= Integer.MAX_VALUE && offset + size <= childCount, "List view %s has offset %s "
                        + "and size %s, outside its child of %s values.", i, offset, size, childCount);
            }
            child.accept(this, null);
        }
    }

    /** Arrow's data checks, with the FixedSizeList, list view and run-end encoded gaps filled. */
    static final class DataChecks extends ValidateVectorDataVisitor {
        /** Fills the FixedSizeList gap: there are no offsets to check, only the child. */
        @Override
        public Void visit(FixedSizeListVector vector, Void value) {
            return vector.getDataVector().accept(this, null);
        }

        /** Fills the list view gap: the views were checked with the buffers; the child is checked here. */
        @Override
        public Void visit(ListViewVector vector, Void value) {
            return vector.getDataVector().accept(this, null);
        }

        /** Fills the large list view gap as for {@link ListViewVector}. */
        @Override
        public Void visit(LargeListViewVector vector, Void value) {
            return vector.getDataVector().accept(this, null);
        }

        /** Fills the run-end encoded gap: the run ends and the values are checked as any vector. */
        @Override
        public Void visit(RunEndEncodedVector vector, Void value) {
            for (FieldVector child : vector.getChildrenFromFields()) {
                if (child != null) {
                    child.accept(this, null);
                }
            }
            return null;
        }
    }
}
