package org.tensorbridge;

/** How {@link HostArray#formatValues()} prints elements: nested lists, as NumPy prints a list. */
final class ValueFormat {
    private ValueFormat() {
    }

    static void appendAxis(HostArray array, StringBuilder text, long[] index, int axis) {
        Shape shape = array.shape();
        if (axis == shape.rank()) {
            text.append(element(array, index));
            return;
        }
        text.append('[');
        for (long i = 0; i < shape.dim(axis); i++) {
            if (i > 0) {
                text.append(", ");
            }
            index[axis] = i;
            appendAxis(array, text, index, axis + 1);
        }
        text.append(']');
    }

    private static String element(HostArray array, long[] index) {
        return switch (array.dtype()) {
            case BOOL -> Boolean.toString(array.getBoolean(index));
            case FLOAT16, BFLOAT16, FLOAT32 -> Float.toString(array.getFloat(index));
            case FLOAT64 -> Double.toString(array.getDouble(index));
            case INT64 -> Long.toString(array.getLong(index));
            default -> Long.toString((long) array.getAsDouble(index));
        };
    }
}
