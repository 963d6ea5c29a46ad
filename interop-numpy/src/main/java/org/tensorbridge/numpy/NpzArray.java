package org.tensorbridge.numpy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.tensorbridge.DType;

/**
 * One {@code .npy} member of a SciPy {@code .npz} archive: a numeric array ({@link #bytes()} in native
 * order) or a string ({@link #text()}), as {@code scipy.sparse.save_npz} writes its {@code format}:
 * a byte string ({@code |S3}) today, a unicode string ({@code <U3}, UTF-32) in archives of older SciPy.
 *
 * @param name the member's name without {@code .npy}
 * @param header its header
 * @param dtype the element type of a numeric member, null for a string
 * @param bytes the elements of a numeric member, null for a string
 * @param text the value of a string member, null for a numeric one
 */
record NpzArray(String name, NpyHeader header, DType dtype, ByteBuffer bytes, String text) {
    /** Strings longer than this are not a SciPy {@code format}, and are not read whole. */
    private static final int MAX_TEXT = 64;

    static NpzArray read(InputStream in, String name) throws IOException {
        NpyHeader header = NpyHeader.read(in);
        String descr = header.descr();
        if (descr.startsWith("|S") || descr.matches("[<>=|]U\\d+")) {
            return new NpzArray(name, header, null, null, readText(in, name, header));
        }
        NpyDType.Parsed parsed = NpyDType.parse(descr);
        return new NpzArray(name, header, parsed.dtype(), NpyData.read(in, header, parsed.dtype(), parsed.order()),
                null);
    }

    private static String readText(InputStream in, String name, NpyHeader header) throws IOException {
        String descr = header.descr();
        boolean unicode = descr.charAt(1) == 'U';
        int length;
        try {
            length = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new NpyFormatException("array '" + name + "' has descr '" + descr + "', a string of no length");
        }
        if (header.shape().length != 0 || length < 0 || length > MAX_TEXT) {
            throw new NpyFormatException("array '" + name + "' is " + descr + " of shape " + java.util.Arrays.toString(
                    header.shape()) + "; a SciPy format is one short string, such as b'csr'");
        }
        byte[] raw = new byte[unicode ? 4 * length : length];
        try {
            new DataInputStream(in).readFully(raw);
        } catch (EOFException e) {
            throw new NpyFormatException("array '" + name + "' is cut inside its data; the archive is truncated");
        }
        Charset charset = !unicode ? StandardCharsets.US_ASCII
                : Charset.forName(descr.charAt(0) == '>' ? "UTF-32BE" : "UTF-32LE");
        // NumPy pads fixed-width strings with NUL characters.
        return new String(raw, charset).replace("\0", "").trim();
    }

    /** The string value. */
    @Override
    public String text() {
        if (text == null) {
            throw new NpyFormatException("array '" + name + "' is " + header.descr() + ", not a string");
        }
        return text;
    }

    /** The elements of an int32 or int64 index array, widened to long. */
    long[] asLongs() {
        if (dtype != DType.INT32 && dtype != DType.INT64) {
            throw new NpyFormatException("array '" + name + "' is " + header.descr() + "; index arrays are int32 or "
                    + "int64");
        }
        long[] out = new long[bytes.capacity() / dtype.byteWidth()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype == DType.INT32 ? bytes.getInt(i * 4) : bytes.getLong(i * 8);
        }
        return out;
    }
}
