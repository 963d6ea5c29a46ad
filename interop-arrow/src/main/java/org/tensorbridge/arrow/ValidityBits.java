package org.tensorbridge.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/**
 * Nulls in a vector's validity bitmap, found without looking at each element: a bitmap that
 * {@link AllValidBitmaps} lent (the read-only columns {@link ArrowExport} makes) has none and is not
 * read at all; any other bitmap is counted 64 bits at a time. A bit is element {@code i}'s when it is
 * bit {@code i % 8} of byte {@code i / 8}, as the Arrow format says. Stateless and thread-safe; the
 * vector must not change while it is read.
 */
final class ValidityBits {
    private ValidityBits() {
    }

    /** The number of nulls among {@code vector}'s {@code getValueCount()} values. */
    static long nullCount(FieldVector vector, String column) {
        return nulls(vector.getValidityBuffer(), 0, vector.getValueCount(), column);
    }

    /**
     * The number of clear bits among bits {@code from} (inclusive) to {@code to} (exclusive) of
     * {@code validity}.
     *
     * @throws ArrowLayoutException if the bitmap is shorter than {@code to} bits
     */
    static long nulls(ArrowBuf validity, long from, long to, String column) {
        if (from >= to) {
            return 0;
        }
        long endByte = (to + 7) >>> 3;
        if (validity.capacity() < endByte) {
            throw new ArrowLayoutException("column " + column + " has a validity bitmap of " + validity.capacity()
                    + " bytes but " + to + " values need " + endByte + "; the vector is inconsistent");
        }
        if (AllValidBitmaps.holds(validity)) {
            return 0;
        }
        long set = 0;
        long bit = from;
        // The first byte's bits before a byte boundary, then whole words, whole bytes, and the last bits.
        while (bit < to && (bit & 7) != 0) {
            set += (validity.getByte(bit >>> 3) >>> (bit & 7)) & 1;
            bit++;
        }
        long byteIndex = bit >>> 3;
        long fullBytes = to >>> 3;
        for (; byteIndex + Long.BYTES <= fullBytes; byteIndex += Long.BYTES) {
            set += Long.bitCount(validity.getLong(byteIndex));
        }
        for (; byteIndex < fullBytes; byteIndex++) {
            set += Integer.bitCount(validity.getByte(byteIndex) & 0xff);
        }
        for (bit = Math.max(bit, byteIndex << 3); bit < to; bit++) {
            set += (validity.getByte(bit >>> 3) >>> (bit & 7)) & 1;
        }
        return (to - from) - set;
    }

    /** The index of {@code vector}'s first null, or -1; for messages, after {@link #nullCount} found one. */
    static long firstNull(FieldVector vector) {
        ArrowBuf validity = vector.getValidityBuffer();
        int count = vector.getValueCount();
        long fullWords = count >>> 6;
        for (long word = 0; word < fullWords; word++) {
            long bits = validity.getLong(word * Long.BYTES);
            if (bits != -1L) {
                // Bytes in memory order, bits least significant first: the bit order Arrow defines.
                for (long i = word * 64; i < word * 64 + 64; i++) {
                    if (isNull(validity, i)) {
                        return i;
                    }
                }
            }
        }
        for (long i = fullWords * 64; i < count; i++) {
            if (isNull(validity, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNull(ArrowBuf validity, long index) {
        return ((validity.getByte(index >>> 3) >>> (index & 7)) & 1) == 0;
    }
}
