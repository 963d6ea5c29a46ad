package org.tensorbridge.numpy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorbridge.DType;

/**
 * The header of a {@code .npy} file (format versions 1.0 to 3.0): the magic string, the version, and
 * a Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}. Written as
 * version 1.0, padded so that the data starts on a 64-byte boundary, as NumPy does.
 *
 * @param descr NumPy's dtype code, for example {@code <f4} or {@code |S3}
 * @param fortranOrder whether elements are in column-major order
 * @param shape the dimensions; empty for a scalar
 * @param length the header's total length in bytes: where the data starts
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape, int length) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern STRUCTURED = Pattern.compile("'descr'\\s*:\\s*\\[");
    private static final int MAX_HEADER = 1 << 20;

    /** Number of elements; {@link Math#multiplyExact} guards against shapes that lie about their size. */
    long elementCount() {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        return count;
    }

    /** Bytes of the data section for elements of {@code dtype}; refused when the count passes 2^63. */
    long byteCount(DType dtype) {
        try {
            return Math.multiplyExact(elementCount(), (long) dtype.byteWidth());
        } catch (ArithmeticException e) {
            throw new NpyFormatException("header field 'shape' " + Arrays.toString(shape) + " of "
                    + dtype.displayName() + " needs more than 2^63 bytes; the file is corrupt");
        }
    }

    static NpyHeader read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new NpyFormatException("the file does not start with the .npy magic string \\x93NUMPY; it is not "
                        + "a NumPy array file");
            }
            int major = data.readUnsignedByte();
            data.readUnsignedByte();
            int length;
            int prefix;
            if (major == 1) {
                length = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
                prefix = 10;
            } else if (major == 2 || major == 3) {
                length = Integer.reverseBytes(data.readInt());
                prefix = 12;
            } else {
                throw new NpyFormatException("format version " + major + " is unknown; this reader takes versions 1 to 3");
            }
            if (length < 0 || length > MAX_HEADER) {
                throw new NpyFormatException("the header claims " + Integer.toUnsignedString(length) + " bytes, more than "
                        + MAX_HEADER + "; the file is corrupt");
            }
            byte[] text = new byte[length];
            data.readFully(text);
            String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            return parse(dict, prefix + length);
        } catch (EOFException e) {
            throw new NpyFormatException("the file ends inside its header; it is truncated");
        }
    }

    private static NpyHeader parse(String dict, int length) {
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() && STRUCTURED.matcher(dict).find()) {
            throw new NpyFormatException("header field 'descr' is a structured dtype (a list of named fields) in "
                    + dict.trim() + "; tensorbridge reads arrays of one element type. Save each field as its own array, "
                    + "or convert with numpy.lib.recfunctions.structured_to_unstructured first");
        }
        if (!dict.trim().startsWith("{") || !descr.find(0) || !fortran.find() || !shape.find()) {
            throw new NpyFormatException("the header " + dict.trim() + " lacks 'descr', 'fortran_order' or 'shape'; "
                    + "it is not a NumPy array header");
        }
        String[] parts = shape.group(1).split(",");
        long[] dims = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToLong(part -> {
            try {
                long d = Long.parseLong(part.endsWith("L") ? part.substring(0, part.length() - 1) : part);
                if (d < 0) {
                    throw new NpyFormatException("header field 'shape' holds " + d + "; dimensions are 0 or more");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new NpyFormatException("header field 'shape' holds '" + part + "', not an integer");
            }
        }).toArray();
        NpyHeader header = new NpyHeader(descr.group(1), fortran.group(1).equals("True"), dims, length);
        try {
            header.elementCount();
        } catch (ArithmeticException e) {
            throw new NpyFormatException("header field 'shape' " + Arrays.toString(dims) + " has more than 2^63 "
                    + "elements; the file is corrupt");
        }
        return header;
    }

    /** The bytes of a version 1.0 header for C-order data. */
    static byte[] write(String descr, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(text.length() & 0xff);
        out.write(text.length() >>> 8);
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
