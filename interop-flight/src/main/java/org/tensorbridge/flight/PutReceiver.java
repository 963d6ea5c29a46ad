package org.tensorbridge.flight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.Backend;
import org.tensorbridge.CapacityException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.TensorBridgeException;
import org.tensorbridge.arrow.ArrowLayoutException;
import org.tensorbridge.arrow.FixedShapeTensorVector;
import org.tensorbridge.arrow.MalformedIpcException;
import org.tensorbridge.arrow.SparseImport;
import org.tensorbridge.arrow.TensorIpc;

/**
 * One {@code DoPut}: receives every batch of the stream, checks it, and makes the {@link Published} entry
 * only once the client has completed the stream. Until then nothing is visible, and a stream that fails
 * (a malformed batch, a limit passed, the client gone, the server stopping) leaves nothing behind: every
 * batch kept so far is closed.
 *
 * <h2>What is checked</h2>
 * Each batch, as it arrives, with interop-arrow's validation of record batches ({@link TensorIpc#validate}:
 * buffers long enough, offsets in order); a dense tensor's column for nulls and an element type that has a
 * dtype; the running byte count against the server's tensor limit. At the end, a sparse tensor is imported
 * once through a backend, which checks its indices against the dense shape and its canonical flag.
 *
 * <h2>What is copied</h2>
 * Nothing, when the stream has one batch: the entry holds the received buffers. A dense or sparse tensor
 * received in several batches is joined into one batch (one copy, on the server), so that every later
 * {@code DoGet} can send it in one piece and clients can import it without a copy. A table keeps its
 * batches as they came. Not thread-safe: one receiver per call.
 */
final class PutReceiver {
    private final BufferAllocator allocator;
    private final long maxTensorBytes;
    private final Supplier<Backend> checkBackend;
    private int received;

    PutReceiver(BufferAllocator allocator, long maxTensorBytes, Supplier<Backend> checkBackend) {
        this.allocator = allocator;
        this.maxTensorBytes = maxTensorBytes;
        this.checkBackend = checkBackend;
    }

    /**
     * The entry the stream puts under {@code name}, with one reference for the caller.
     *
     * @throws FlightRuntimeException {@code INVALID_ARGUMENT} for a malformed stream, {@code RESOURCE_EXHAUSTED}
     *     past a limit; or the stream's own failure (the client cancelled)
     */
    Published receive(String name, FlightStream stream) {
        return receive(name, new BatchSource() {
            @Override
            public VectorSchemaRoot root() {
                return stream.getRoot();
            }

            @Override
            public boolean next() {
                return stream.next();
            }
        });
    }

    /** {@link #receive(String, FlightStream)} for batches from anywhere (an IPC file being published, say). */
    Published receive(String name, BatchSource source) {
        VectorSchemaRoot root;
        try {
            root = source.root();
        } catch (FlightRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("the stream's schema cannot be read: " + e.getMessage(), e);
        }
        Schema schema = root.getSchema();
        TensorKind kind = TensorSchemas.classify(schema);
        List<ArrowRecordBatch> batches = new ArrayList<>();
        boolean done = false;
        try {
            long bytes = 0;
            long rows = 0;
            while (next(source, batches.size())) {
                check(root, kind, batches.size());
                ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch();
                batches.add(batch);
                received = batches.size();
                bytes += batch.computeBodyLength();
                rows += root.getRowCount();
                if (bytes > maxTensorBytes) {
                    throw CallStatus.RESOURCE_EXHAUSTED.withDescription("put " + name + ": the stream passed the "
                            + "server's limit of " + maxTensorBytes + " bytes for one tensor or table after "
                            + batches.size() + " batches (" + bytes + " bytes); put a smaller one, or start the server "
                            + "with a larger limit (tensorbridge serve --max-tensor-bytes)").toRuntimeException();
                }
            }
            if (batches.isEmpty()) {
                throw invalid("put " + name + ": the stream ended without a record batch; send at least one "
                        + "(pyarrow: writer.write_table(table) before writer.close())", null);
            }
            Published entry = entry(name, schema, kind, batches, rows, bytes);
            done = true;
            return entry;
        } catch (OutOfMemoryException e) {
            throw CallStatus.RESOURCE_EXHAUSTED.withDescription("put " + name + ": the server has no memory left for "
                    + "it (" + e.getMessage() + "); delete names it publishes, or give it more memory")
                    .withCause(e).toRuntimeException();
        } finally {
            if (!done) {
                batches.forEach(ArrowRecordBatch::close);
            }
        }
    }

    /** The batches received so far. */
    int batchesReceived() {
        return received;
    }

    /** The stream's next batch; a batch Arrow could not even load is malformed. */
    private static boolean next(BatchSource source, int received) {
        try {
            return source.next();
        } catch (FlightRuntimeException e) {
            throw e;
        } catch (OutOfMemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("batch " + received + " cannot be loaded: " + e, e);
        }
    }

    /** The checks of one batch as it arrives (see the class comment). */
    private static void check(VectorSchemaRoot root, TensorKind kind, int index) {
        try {
            TensorIpc.validate(root);
        } catch (MalformedIpcException e) {
            throw invalid("batch " + index + " is malformed: " + e.getMessage(), e);
        }
        if (kind != TensorKind.DENSE) {
            return;
        }
        FixedShapeTensorVector column = (FixedShapeTensorVector) root.getVector(0);
        FieldVector elements = column.getUnderlyingVector().getDataVector();
        if (column.getNullCount() > 0 || elements.getNullCount() > 0) {
            throw invalid("batch " + index + " of tensor column " + column.getName() + " has " + column.getNullCount()
                    + " null rows and " + elements.getNullCount() + " null elements; a tensor has no nulls, so fill "
                    + "them in before sending (pyarrow: pc.fill_null)", null);
        }
        try {
            column.dtype();
        } catch (RuntimeException e) {
            throw invalid("tensor column " + column.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The entry of a completed stream; closes {@code batches} if it replaces them. */
    private Published entry(String name, Schema schema, TensorKind kind, List<ArrowRecordBatch> batches, long rows,
            long bytes) {
        if (kind == TensorKind.TABLE) {
            return new Published(Descriptions.table(name, schema, rows, bytes), batches);
        }
        ArrowRecordBatch joined = batches.size() == 1 ? batches.get(0) : join(name, schema, batches, bytes);
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            new VectorLoader(root).load(joined);
            FlightTensorInfo info;
            if (kind == TensorKind.DENSE) {
                DType dtype = ((FixedShapeTensorVector) root.getVector(0)).dtype();
                info = Descriptions.dense(name, schema, dtype, rows, Descriptions.batchName(schema));
            } else {
                info = sparse(name, root, rows);
            }
            Published entry = new Published(info, List.of(joined));
            if (joined != batches.get(0)) {
                batches.forEach(ArrowRecordBatch::close);
            }
            return entry;
        } catch (RuntimeException | Error e) {
            if (joined != batches.get(0)) {
                joined.close();
            }
            throw e;
        }
    }

    /** A sparse tensor's description, after a backend has checked its indices. */
    private FlightTensorInfo sparse(String name, VectorSchemaRoot root, long nnz) {
        try (SparseTensor checked = SparseImport.toSparseTensor(root, checkBackend.get(), CopyPolicy.IF_NEEDED)) {
            return Descriptions.sparse(name, root.getSchema(), checked.dtype(), checked.denseShape(), nnz);
        } catch (RuntimeException e) {
            if (e instanceof TensorBridgeException || e instanceof IllegalArgumentException
                    || e instanceof IndexOutOfBoundsException) {
                throw invalid("sparse tensor " + name + " is malformed: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The batches of a dense or sparse tensor as one batch (a copy). */
    private ArrowRecordBatch join(String name, Schema schema, List<ArrowRecordBatch> batches, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw CallStatus.RESOURCE_EXHAUSTED.withDescription("put " + name + ": " + batches.size() + " batches of "
                    + bytes + " bytes in all cannot be joined into one Arrow buffer (at most " + Integer.MAX_VALUE
                    + " bytes); send a smaller tensor").toRuntimeException();
        }
        try (VectorSchemaRoot joined = BatchJoin.join(schema, batches, allocator)) {
            return new VectorUnloader(joined).getRecordBatch();
        }
    }

    /**
     * {@link #receive(String, BatchSource)} for a publication in this process: a refusal is an exception of the
     * project instead of a Flight status.
     *
     * @throws ArrowLayoutException for what a put would refuse as {@code INVALID_ARGUMENT}
     * @throws CapacityException for what a put would refuse as {@code RESOURCE_EXHAUSTED}
     */
    Published publish(String name, BatchSource source) {
        try {
            return receive(name, source);
        } catch (FlightRuntimeException e) {
            if (e.status().code() == FlightStatusCode.RESOURCE_EXHAUSTED) {
                throw new CapacityException(e.status().description());
            }
            throw new ArrowLayoutException(name + ": " + e.status().description(), e);
        }
    }

    /** Record batches one after the other in one root, as a {@code FlightStream} or an {@code ArrowReader} give them. */
    interface BatchSource {
        /** The root each batch is loaded into; waits for the schema. */
        VectorSchemaRoot root();

        /** Loads the next batch into the root; {@code false} at the end. */
        boolean next();

        /** The batches of {@code reader}; its {@code IOException}s are thrown unchecked. */
        static BatchSource of(ArrowReader reader) {
            return new BatchSource() {
                @Override
                public VectorSchemaRoot root() {
                    try {
                        return reader.getVectorSchemaRoot();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public boolean next() {
                    try {
                        return reader.loadNextBatch();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }
    }

    static FlightRuntimeException invalid(String description, Throwable cause) {
        CallStatus status = CallStatus.INVALID_ARGUMENT.withDescription(description);
        return (cause == null ? status : status.withCause(cause)).toRuntimeException();
    }
}
