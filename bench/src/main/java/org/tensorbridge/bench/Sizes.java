package org.tensorbridge.bench;

/**
 * The size parameters of the benchmarks, written the way the issue writes them: byte sizes
 * ({@code 4KiB}, {@code 4MiB}, {@code 256MiB}) and element counts ({@code 1K}, {@code 1M}, {@code 16M},
 * binary multiples). Keeping them as text keeps JMH's result labels readable.
 */
public final class Sizes {
    private Sizes() {
    }

    /** Bytes of a size such as {@code 4KiB} or {@code 256MiB}. */
    public static int bytes(String size) {
        if (size.endsWith("KiB")) {
            return Math.multiplyExact(Integer.parseInt(size.substring(0, size.length() - 3)), 1 << 10);
        }
        if (size.endsWith("MiB")) {
            return Math.multiplyExact(Integer.parseInt(size.substring(0, size.length() - 3)), 1 << 20);
        }
        throw new IllegalArgumentException("size '" + size + "' is not a byte size; write it as 4KiB or 256MiB");
    }

    /** Elements of a count such as {@code 1K} or {@code 16M}. */
    public static int elements(String count) {
        if (count.endsWith("K")) {
            return Math.multiplyExact(Integer.parseInt(count.substring(0, count.length() - 1)), 1 << 10);
        }
        if (count.endsWith("M")) {
            return Math.multiplyExact(Integer.parseInt(count.substring(0, count.length() - 1)), 1 << 20);
        }
        throw new IllegalArgumentException("count '" + count + "' is not an element count; write it as 1K or 16M");
    }

    /** float32 elements in a byte size. */
    public static int floats(String size) {
        return bytes(size) / Float.BYTES;
    }
}
