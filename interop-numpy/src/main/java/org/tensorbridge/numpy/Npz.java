package org.tensorbridge.numpy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.tensorbridge.Backend;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Sparse matrices in the layout of {@code scipy.sparse.save_npz}: a zip of {@code .npy} arrays —
 * {@code row}, {@code col}, {@code data}, {@code shape}, {@code format = b'coo'} for COO, and
 * {@code indices}, {@code indptr}, {@code data}, {@code shape}, {@code format = b'csr'} for CSR.
 * Reading takes both formats, compressed or not, with int32 or int64 indices, the {@code format} as a
 * byte string or (older SciPy) a unicode string; the arrays are copied into tensors of the backend.
 * Writing refuses {@code float16} values, which {@code scipy.sparse} does not take. Rank 2 only, as
 * SciPy's matrices. Stateless and thread-safe.
 */
public final class Npz {
    private Npz() {
    }

    /**
     * Writes a rank-2 sparse value as a SciPy COO matrix, in its stored order.
     *
     * @throws ShapeMismatchException if the value is not rank 2
     * @throws UnsupportedDTypeException for {@code float16} and {@code bfloat16} values
     */
    public static void writeCoo(SparseValue value, Path file) throws IOException {
        requireMatrix(value);
        long[] indices = value.indices().toLongArray();
        int nnz = (int) value.nnz();
        long[] rows = new long[nnz];
        long[] columns = new long[nnz];
        for (int i = 0; i < nnz; i++) {
            rows[i] = indices[2 * i];
            columns[i] = indices[2 * i + 1];
        }
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            entry(zip, "row", rows);
            entry(zip, "col", columns);
            entry(zip, "data", value.values());
            common(zip, value.denseShape(), "coo");
        }
    }

    /**
     * Writes a rank-2 sparse value as a SciPy CSR matrix.
     *
     * @throws ShapeMismatchException if the value is not rank 2
     * @throws UnsupportedDTypeException for {@code float16} and {@code bfloat16} values
     */
    public static void writeCsr(SparseValue value, Path file) throws IOException {
        requireMatrix(value);
        try (CsrValue csr = value.toCsr();
                ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            entry(zip, "indices", csr.indices());
            entry(zip, "indptr", csr.indptr());
            entry(zip, "data", csr.values());
            common(zip, value.denseShape(), "csr");
        }
    }

    /**
     * Reads a SciPy {@code .npz} sparse matrix (COO or CSR) into a sparse tensor of {@code backend}. The
     * archive is read through its central directory, so members written to a non-seekable stream (with
     * data descriptors) read as well as any.
     *
     * @throws NpyFormatException if the file is not a zip, lacks a member, or holds one that is malformed,
     *     indices outside the shape or a CSR {@code indptr} that does not describe the rows among them
     */
    public static SparseTensor read(Path file, Backend backend) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        Map<String, NpzArray> arrays = members(file);
        String format = require(arrays, "format").text();
        long[] shape = require(arrays, "shape").asLongs();
        if (shape.length != 2 || shape[0] < 0 || shape[1] < 0) {
            throw new NpyFormatException("array 'shape' holds " + java.util.Arrays.toString(shape) + "; a SciPy "
                    + "matrix has 2 sizes of 0 or more");
        }
        if (shape[1] != 0 && shape[0] > Long.MAX_VALUE / shape[1]) {
            throw new NpyFormatException("array 'shape' holds " + java.util.Arrays.toString(shape) + ", more than "
                    + "2^63 elements; the file is corrupt");
        }
        NpzArray data = require(arrays, "data");
        long nnz = data.header().elementCount();
        switch (format) {
            case "coo" -> {
                long[] rows = require(arrays, "row").asLongs();
                long[] columns = require(arrays, "col").asLongs();
                SparseIndexChecks.checkCoo(rows, columns, shape);
                long[] indices = new long[rows.length * 2];
                for (int i = 0; i < rows.length; i++) {
                    indices[2 * i] = rows[i];
                    indices[2 * i + 1] = columns[i];
                }
                try (Tensor values = values(data, backend); Tensor index = backend.constant(indices, rows.length, 2)) {
                    return backend.sparseCoo(index, values, Shape.of(shape));
                }
            }
            case "csr" -> {
                long[] indptr = require(arrays, "indptr").asLongs();
                long[] columns = require(arrays, "indices").asLongs();
                SparseIndexChecks.checkCsr(indptr, columns, nnz, shape);
                try (Tensor values = values(data, backend); Tensor pointers = backend.constant(indptr);
                        Tensor columnTensor = backend.constant(columns)) {
                    return backend.sparseCsr(pointers, columnTensor, values, Shape.of(shape));
                }
            }
            default -> throw new NpyFormatException("array 'format' is '" + format + "'; this reader takes 'coo' "
                    + "and 'csr' (convert in SciPy with .tocsr())");
        }
    }

    private static Tensor values(NpzArray data, Backend backend) {
        return backend.fromBuffer(data.bytes(), data.dtype(), Shape.of(data.header().shape()));
    }

    private static Map<String, NpzArray> members(Path file) throws IOException {
        Map<String, NpzArray> arrays = new HashMap<>();
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException(file + " is not a zip archive, as a SciPy .npz is (" + e.getMessage() + ")");
        }
        try (zip) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                try (InputStream in = zip.getInputStream(entry)) {
                    arrays.put(name, NpzArray.read(in, name));
                } catch (ZipException e) {
                    throw new NpyFormatException("member '" + entry.getName() + "' of " + file + " cannot be "
                            + "inflated: " + e.getMessage());
                }
            }
        }
        return arrays;
    }

    private static void requireMatrix(SparseValue value) {
        Objects.requireNonNull(value, "value must not be null");
        if (value.denseShape().rank() != 2) {
            throw new ShapeMismatchException("value has dense shape " + value.denseShape() + "; SciPy's sparse "
                    + "matrices are rank 2");
        }
        if (value.dtype() == DType.FLOAT16 || value.dtype() == DType.BFLOAT16) {
            // scipy.sparse refuses float16 ("does not support dtype float16"), and NumPy has no bfloat16.
            throw new UnsupportedDTypeException("value has dtype " + value.dtype().displayName() + ", which SciPy's "
                    + "sparse matrices do not support; cast the values to float32 first (exact for both)");
        }
    }

    private static NpzArray require(Map<String, NpzArray> arrays, String name) {
        NpzArray array = arrays.get(name);
        if (array == null) {
            throw new NpyFormatException("the archive has no '" + name + ".npy'; it is not a scipy.sparse.save_npz file "
                    + "(it holds " + arrays.keySet() + ")");
        }
        return array;
    }

    private static void common(ZipOutputStream zip, Shape shape, String format) throws IOException {
        zip.putNextEntry(new ZipEntry("shape.npy"));
        zip.write(NpyHeader.write(NpyDType.descr(DType.INT64), new long[] {2}));
        zip.write(longBytes(shape.toArray()));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("format.npy"));
        zip.write(NpyHeader.write("|S" + format.length(), new long[0]));
        zip.write(format.getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
    }

    private static void entry(ZipOutputStream zip, String name, HostArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        Npy.write(array, (OutputStream) zip);
        zip.closeEntry();
    }

    private static void entry(ZipOutputStream zip, String name, long[] values) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        zip.write(NpyHeader.write(NpyDType.descr(DType.INT64), new long[] {values.length}));
        zip.write(longBytes(values));
        zip.closeEntry();
    }

    private static byte[] longBytes(long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.nativeOrder());
        bytes.asLongBuffer().put(values);
        return bytes.array();
    }
}
