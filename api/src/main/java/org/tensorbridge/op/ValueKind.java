package org.tensorbridge.op;

/** Whether an operation's input or result is a dense or a sparse tensor. */
public enum ValueKind {
    /** A {@link org.tensorbridge.Tensor} (eager) or {@link org.tensorbridge.Symbol} (graph). */
    DENSE,
    /** A {@link org.tensorbridge.SparseTensor} (eager) or {@link org.tensorbridge.SparseSymbol} (graph). */
    SPARSE
}
