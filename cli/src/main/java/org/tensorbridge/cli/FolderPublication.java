package org.tensorbridge.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.TensorIpc;
import org.tensorbridge.flight.TensorFlightServer;
import org.tensorbridge.numpy.Npy;
import org.tensorbridge.numpy.Npz;

/**
 * The files of a folder (and its subfolders) published on a {@link TensorFlightServer}, each under its path
 * relative to the folder without the extension, with {@code /} between folders ({@code data/run-1/x.npy} is
 * {@code run-1/x}); characters a name cannot have become {@code _}:
 * <ul>
 *   <li>{@code .npy}: a dense tensor, the file mapped into memory without a copy ({@code Npy.map}; read into
 *       memory when it cannot be mapped: big-endian or Fortran order). A scalar is published as shape {@code [1]}.</li>
 *   <li>{@code .npz}: a SciPy sparse matrix ({@code scipy.sparse.save_npz}) is a sparse tensor; any other archive
 *       ({@code numpy.savez}) publishes each array as {@code name/array}.</li>
 *   <li>{@code .arrow}, {@code .feather}, {@code .ipc} (IPC files) and {@code .arrows} (IPC streams): read with
 *       {@code TensorIpc}'s checked readers and published as their columns say (one tensor column: a dense
 *       tensor; the sparse layout: a sparse tensor; else a table).</li>
 * </ul>
 * A file that cannot be published is reported on the output and skipped. Stateless.
 */
final class FolderPublication {
    private FolderPublication() {
    }

    /** Publishes every file it can; returns the names published. */
    static List<String> publish(Path folder, TensorFlightServer server, BufferAllocator allocator, Backend backend,
            PrintWriter out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        List<String> published = new ArrayList<>();
        for (Path file : files) {
            String relative = folder.relativize(file).toString().replace('\\', '/');
            int dot = relative.lastIndexOf('.');
            String extension = dot < 0 ? "" : relative.substring(dot + 1).toLowerCase(Locale.ROOT);
            String name = relative.substring(0, dot < 0 ? relative.length() : dot).replaceAll("[^A-Za-z0-9._/-]", "_");
            try {
                switch (extension) {
                    case "npy" -> published.add(npy(file, name, server, backend));
                    case "npz" -> published.addAll(npz(file, name, server, backend));
                    case "arrow", "feather", "ipc", "arrows" -> published.add(arrow(file, name, server, allocator));
                    default -> out.println("tensorbridge serve: skipped " + relative + ": not .npy, .npz or Arrow IPC");
                }
            } catch (IOException | RuntimeException e) {
                out.println("tensorbridge serve: skipped " + relative + ": " + e.getMessage());
            }
            out.flush();
        }
        return published;
    }

    private static String npy(Path file, String name, TensorFlightServer server, Backend backend) throws IOException {
        Tensor tensor;
        try {
            tensor = Npy.map(file, backend, Access.READ_ONLY);
        } catch (CopyRequiredException notMappable) {
            tensor = Npy.read(file, backend);
        }
        publishDense(name, tensor, server, backend);
        return name;
    }

    private static List<String> npz(Path file, String name, TensorFlightServer server, Backend backend)
            throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("format.npy") != null) {
                try (SparseTensor sparse = Npz.read(file, backend)) {
                    server.publish(name, sparse);
                }
                return List.of(name);
            }
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().endsWith(".npy")) {
                    continue;
                }
                String member = name + "/" + entry.getName().substring(0, entry.getName().length() - 4)
                        .replaceAll("[^A-Za-z0-9._/-]", "_");
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
                    publishDense(member, Npy.read(in, backend), server, backend);
                }
                names.add(member);
            }
        }
        return names;
    }

    /** Publishes {@code tensor} (closing it: the server keeps its own reference to the memory). */
    private static void publishDense(String name, Tensor tensor, TensorFlightServer server, Backend backend) {
        try (tensor) {
            if (tensor.shape().rank() == 0) {
                try (Tensor row = backend.reshape(tensor, 1)) {
                    server.publish(name, row);
                }
            } else {
                server.publish(name, tensor);
            }
        }
    }

    private static String arrow(Path file, String name, TensorFlightServer server, BufferAllocator allocator)
            throws IOException {
        boolean isFile;
        try (InputStream in = Files.newInputStream(file)) {
            isFile = new String(in.readNBytes(6), java.nio.charset.StandardCharsets.US_ASCII).equals("ARROW1");
        }
        if (isFile) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    ArrowReader reader = TensorIpc.openFile(channel, allocator)) {
                server.publishArrow(name, reader);
            }
        } else {
            try (InputStream in = Files.newInputStream(file);
                    ArrowReader reader = TensorIpc.openStream(in, allocator)) {
                server.publishArrow(name, reader);
            }
        }
        return name;
    }
}
