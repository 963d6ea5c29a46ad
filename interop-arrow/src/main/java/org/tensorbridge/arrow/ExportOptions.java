package org.tensorbridge.arrow;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;

/**
 * How {@link ArrowExport} turns a tensor into an Arrow column: the {@link CopyPolicy} and
 * {@link Access} of the host view it takes of the tensor, and optional dimension names and permutation
 * for the column's type.
 *
 * <p>The permutation exports a transposed view without a copy: the column stores the tensor's rows as
 * they are, and its type says that the logical tensor of each row is that row transposed
 * ({@code numpy.transpose(row, permutation)}, what pyarrow's {@code to_numpy_ndarray()} and this module's
 * {@link ArrowImport} give back). Dimension names name the stored dimensions, as the specification says.
 *
 * <p>Defaults: {@link CopyPolicy#IF_NEEDED} (share host memory, copy device memory),
 * {@link Access#READ_ONLY}, no dimension names, no permutation. Arrow cannot enforce read-only memory: a
 * {@code READ_ONLY} export is a promise not to write through the column, neither its data (the tensor's
 * memory) nor its validity bitmaps (shared with other read-only columns, see {@link ArrowExport}); ask for
 * {@link Access#WRITABLE} to make writes through the column reach the tensor, and to give the column
 * bitmaps of its own.
 *
 * <p>Immutable and thread-safe; each {@code with} method returns a new instance.
 */
public final class ExportOptions {
    private static final ExportOptions DEFAULTS = new ExportOptions(CopyPolicy.IF_NEEDED, Access.READ_ONLY, null,
            null);

    private final CopyPolicy policy;
    private final Access access;
    private final List<String> dimNames;
    private final int[] permutation;

    private ExportOptions(CopyPolicy policy, Access access, List<String> dimNames, int[] permutation) {
        this.policy = policy;
        this.access = access;
        this.dimNames = dimNames;
        this.permutation = permutation;
    }

    /** {@code IF_NEEDED}, {@code READ_ONLY}, no dimension names. */
    public static ExportOptions defaults() {
        return DEFAULTS;
    }

    /** These options with {@code policy}: {@code NEVER} fails for device tensors, {@code ALWAYS} always copies. */
    public ExportOptions withPolicy(CopyPolicy policy) {
        return new ExportOptions(Objects.requireNonNull(policy, "policy"), access, dimNames, permutation);
    }

    /** These options with {@code access}. */
    public ExportOptions withAccess(Access access) {
        return new ExportOptions(policy, Objects.requireNonNull(access, "access"), dimNames, permutation);
    }

    /** These options with names for the dimensions of each row (the tensor's dimensions after the first). */
    public ExportOptions withDimNames(List<String> names) {
        return new ExportOptions(policy, access, List.copyOf(Objects.requireNonNull(names, "names")), permutation);
    }

    /**
     * These options with a permutation of each row's dimensions: logical dimension {@code i} of a row is
     * the tensor's row dimension {@code permutation[i]}. It is checked against the tensor when exported.
     */
    public ExportOptions withPermutation(int... permutation) {
        return new ExportOptions(policy, access, dimNames, Objects.requireNonNull(permutation, "permutation").clone());
    }

    /** The copy policy of the host view taken of the tensor. */
    public CopyPolicy policy() {
        return policy;
    }

    /** The access of the host view taken of the tensor. */
    public Access access() {
        return access;
    }

    /** Names of the row dimensions, if given. */
    public Optional<List<String>> dimNames() {
        return Optional.ofNullable(dimNames);
    }

    /** The permutation of the row dimensions, if given (a copy). */
    public Optional<int[]> permutation() {
        return Optional.ofNullable(permutation).map(int[]::clone);
    }

    @Override
    public String toString() {
        return "ExportOptions[" + policy + ", " + access + (dimNames == null ? "" : ", dim_names " + dimNames)
                + (permutation == null ? "" : ", permutation " + java.util.Arrays.toString(permutation)) + "]";
    }
}
