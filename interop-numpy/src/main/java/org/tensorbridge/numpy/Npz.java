package org.tensorbridge.numpy;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.tensorbridge.Backend;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * Sparse matrices in the layout of {@code scipy.sparse.save_npz}: a zip of {@code .npy} arrays —
 * {@code row}, {@code col}, {@code data}, {@code shape}, {@code format = b'coo'} for COO, and
 * {@code indices}, {@code indptr}, {@code data}, {@code shape}, {@code format = b'csr'} for CSR.
 * Reading takes both formats, compressed or not, with int32 or int64 indices; the arrays are copied
 * into tensors of the backend. Rank 2 only, as SciPy's matrices. Stateless and thread-safe.
 */
public final class Npz {
    private Npz() {
    }

    /** Writes a rank-2 sparse value as a SciPy COO matrix, in its stored order. */
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

    /** Writes a rank-2 sparse value as a SciPy CSR matrix. */
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

    /** Reads a SciPy {@code .npz} sparse matrix (COO or CSR) into a sparse tensor of {@code backend}. */
    public static SparseTensor read(Path file, Backend backend) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        Map<String, Array> arrays = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                arrays.put(name, Array.read(zip, name));
            }
        }
        String format = require(arrays, "format").text();
        long[] shape = require(arrays, "shape").asLongs();
        if (shape.length != 2) {
            throw new NpyFormatException("array 'shape' holds " + shape.length + " sizes; a SciPy matrix has 2");
        }
        Array data = require(arrays, "data");
        try (Tensor values = backend.fromBuffer(data.bytes(), data.dtype(), Shape.of(data.header().shape()))) {
            switch (format) {
                case "coo" -> {
                    long[] rows = require(arrays, "row").asLongs();
                    long[] columns = require(arrays, "col").asLongs();
                    if (rows.length != columns.length) {
                        throw new NpyFormatException("arrays 'row' and 'col' differ in length (" + rows.length + " and "
                                + columns.length + ")");
                    }
                    long[] indices = new long[rows.length * 2];
                    for (int i = 0; i < rows.length; i++) {
                        indices[2 * i] = rows[i];
                        indices[2 * i + 1] = columns[i];
                    }
                    try (Tensor index = backend.constant(indices, rows.length, 2)) {
                        return backend.sparseCoo(index, values, Shape.of(shape));
                    }
                }
                case "csr" -> {
                    try (Tensor indptr = backend.constant(require(arrays, "indptr").asLongs());
                            Tensor columns = backend.constant(require(arrays, "indices").asLongs())) {
                        return backend.sparseCsr(indptr, columns, values, Shape.of(shape));
                    }
                }
                default -> throw new NpyFormatException("array 'format' is '" + format + "'; this reader takes 'coo' "
                        + "and 'csr' (convert in SciPy with .tocsr())");
            }
        }
    }

    private static void requireMatrix(SparseValue value) {
        Objects.requireNonNull(value, "value must not be null");
        if (value.denseShape().rank() != 2) {
            throw new IllegalArgumentException("value has dense shape " + value.denseShape() + "; SciPy's sparse "
                    + "matrices are rank 2");
        }
    }

    private static Array require(Map<String, Array> arrays, String name) {
        Array array = arrays.get(name);
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

    /** One {@code .npy} member of the archive. */
    private record Array(String name, NpyHeader header, DType dtype, ByteBuffer bytes, String text) {
        static Array read(InputStream in, String name) throws IOException {
            NpyHeader header = NpyHeader.read(in);
            if (header.descr().startsWith("|S")) {
                int length;
                try {
                    length = Integer.parseInt(header.descr().substring(2));
                } catch (NumberFormatException e) {
                    throw new NpyFormatException("array '" + name + "' has descr '" + header.descr() + "'");
                }
                byte[] raw = new byte[Math.max(0, Math.min(length, 64))];
                new DataInputStream(in).readFully(raw);
                return new Array(name, header, null, null, new String(raw, StandardCharsets.US_ASCII).trim());
            }
            NpyDType.Parsed parsed = NpyDType.parse(header.descr());
            return new Array(name, header, parsed.dtype(), NpyData.read(in, header, parsed.dtype(), parsed.order()), null);
        }

        public String text() {
            if (text == null) {
                throw new NpyFormatException("array '" + name + "' is " + header.descr() + ", not a byte string");
            }
            return text;
        }

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
}
