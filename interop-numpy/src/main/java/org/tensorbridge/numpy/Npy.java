package org.tensorbridge.numpy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * NumPy's {@code .npy} format: write a host array, read a file into a tensor, or map a file into a
 * tensor without copying.
 *
 * <ul>
 *   <li>{@link #write} writes version 1.0, C order, native byte order, for every dtype NumPy has a
 *       code for (not bfloat16).</li>
 *   <li>{@link #read} takes versions 1 to 3, either byte order and C or Fortran order; the data is
 *       copied once, into memory the tensor owns.</li>
 *   <li>{@link #map} maps a C-order, native-order file: the tensor and its host arrays share the file
 *       mapping ({@code SHARED}, no bytes copied), read-only unless {@link Access#WRITABLE} is asked
 *       for, in which case writes reach the file.</li>
 * </ul>
 * A malformed header, an unknown dtype, a truncated file or a shape the data does not fill throws
 * {@link NpyFormatException}; nothing is returned from such a file. Stateless and thread-safe.
 */
public final class Npy {
    private Npy() {
    }

    /** Writes {@code array} to {@code file}, replacing it. */
    public static void write(HostArray array, Path file) throws IOException {
        Objects.requireNonNull(array, "array must not be null");
        Objects.requireNonNull(file, "file must not be null");
        NpyDType.descr(array.dtype()); // refuses bfloat16 before the file is touched
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(array, out);
        }
    }

    /** Writes {@code array} to {@code out}, which it leaves open. */
    public static void write(HostArray array, OutputStream out) throws IOException {
        Objects.requireNonNull(array, "array must not be null");
        Objects.requireNonNull(out, "out must not be null");
        String descr = NpyDType.descr(array.dtype());
        ByteBuffer data = array.asByteBuffer();
        out.write(NpyHeader.write(descr, array.shape().toArray()));
        Channels.newChannel(out).write(data);
        out.flush();
    }

    /** Reads {@code file} into a new tensor of {@code backend}. */
    public static Tensor read(Path file, Backend backend) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, backend);
        }
    }

    /** Reads one array from {@code in} into a new tensor of {@code backend}. */
    public static Tensor read(InputStream in, Backend backend) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        NpyHeader header = NpyHeader.read(in);
        NpyDType.Parsed parsed = NpyDType.parse(header.descr());
        ByteBuffer data = NpyData.read(in, header, parsed.dtype(), parsed.order());
        // The buffer is new and seen by no one else: the backend may keep it without a second copy.
        return backend.fromBuffer(data, parsed.dtype(), Shape.of(header.shape()), CopyPolicy.IF_NEEDED);
    }

    /**
     * Maps {@code file} into a tensor of {@code backend} without copying. The file stays mapped while
     * the tensor, or any view or host array of it, is open.
     *
     * @param access {@link Access#WRITABLE} maps the file for writing: writes through writable host
     *     arrays reach it
     * @throws CopyRequiredException if the file is big-endian or in Fortran order, or the backend
     *     cannot wrap host memory; {@link #read} copies instead
     */
    public static Tensor map(Path file, Backend backend, Access access) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        Objects.requireNonNull(access, "access must not be null");
        boolean writable = access == Access.WRITABLE;
        FileChannel channel = writable ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ);
        try {
            NpyHeader header = NpyHeader.read(Channels.newInputStream(channel.position(0)));
            NpyDType.Parsed parsed = NpyDType.parse(header.descr());
            if (header.fortranOrder() || (parsed.dtype().byteWidth() > 1 && parsed.order() != ByteOrder.nativeOrder())) {
                throw new CopyRequiredException(file + " is " + (header.fortranOrder() ? "in Fortran order"
                        : parsed.order() + "") + ", so its bytes cannot be used in place; read it with Npy.read, which "
                        + "copies it into C order and " + ByteOrder.nativeOrder());
            }
            long bytes = header.byteCount(parsed.dtype());
            if (bytes > Integer.MAX_VALUE) {
                throw new NpyFormatException(file + ": header field 'shape' "
                        + java.util.Arrays.toString(header.shape()) + " needs " + bytes
                        + " bytes; arrays are mapped up to 2 GiB each. Split the array in NumPy");
            }
            if (header.length() + bytes > channel.size()) {
                throw new NpyFormatException(file + " holds " + (channel.size() - header.length()) + " data bytes but "
                        + "header field 'shape' " + java.util.Arrays.toString(header.shape()) + " needs " + bytes
                        + "; the file is truncated or its shape lies");
            }
            MappedByteBuffer mapped = channel.map(writable ? FileChannel.MapMode.READ_WRITE
                    : FileChannel.MapMode.READ_ONLY, header.length(), bytes);
            ByteBuffer data = (writable ? mapped : mapped.asReadOnlyBuffer()).order(ByteOrder.nativeOrder());
            // The channel is the owner: closed when the last holder of the mapping is released.
            return backend.fromBuffer(data, parsed.dtype(), Shape.of(header.shape()), CopyPolicy.NEVER, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
