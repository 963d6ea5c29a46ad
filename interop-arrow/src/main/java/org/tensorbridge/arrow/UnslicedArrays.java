package org.tensorbridge.arrow;

import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * What {@link ArrowCData} checks of a C Data Interface array before importing it: that it was not already
 * released (each array is consumed once), and that it is not a slice. Arrow Java 19's importer drops the
 * {@code offset} of an array and of its children (apache/arrow-java#251), so a slice, as pyarrow's
 * {@code slice()} and query engines' batches make them, would be read from its first element: the wrong rows,
 * with no error. Reads the C structs only, never the buffers. Stateless.
 */
final class UnslicedArrays {
    private UnslicedArrays() {
    }

    /**
     * Throws {@link ArrowLayoutException} if {@code array} was released or is a slice at any depth; then releases
     * {@code array} and {@code schema} (the import consumes them, refused or not).
     */
    static void require(ArrowArray array, ArrowSchema schema) {
        ArrowArray.Snapshot root = array.snapshot();
        if (root.release == 0) {
            throw new ArrowLayoutException("the ArrowArray was already released or imported (an import consumes it); "
                    + "export the data again for another import");
        }
        String slice = sliced(root, "the array");
        if (slice != null) {
            array.release();
            schema.release();
            throw new ArrowLayoutException(slice + ": it is a slice, and Arrow Java's C Data import would read it from "
                    + "its first element. Pass the whole array, or a materialised copy of the slice (pyarrow: "
                    + "pa.concat_arrays([a]) or a.take(...))");
        }
    }

    /** Where {@code array} or a child has a non-zero offset, or null if none does. */
    private static String sliced(ArrowArray.Snapshot array, String where) {
        if (array.offset != 0) {
            return where + " has offset " + array.offset;
        }
        for (long i = 0; i < array.n_children; i++) {
            long child = MemoryUtil.getLong(array.children + i * Long.BYTES);
            String inChild = sliced(ArrowArray.wrap(child).snapshot(), where + "'s child " + i);
            if (inChild != null) {
                return inChild;
            }
        }
        return null;
    }
}
