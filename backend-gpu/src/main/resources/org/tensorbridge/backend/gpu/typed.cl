// tensorbridge backend-gpu: kernels for one element type (OpenCL C 1.2). The Java side prepends the
// macros of the type: S (storage type), C (compute type), A (accumulator), LOAD, STORE, SUM_STEP, SIGNED,
// TILE, and NUMERIC, MAC, RACC, RSTORE for numeric types; and the element functions op_NAME of every
// elementwise operation defined on the type (ElementFunctions). It appends the elementwise kernels
// (UNARY_KERNELS and BINARY_KERNELS of each of those operations) and the casts after this file.
// Every kernel checks its bounds, so global sizes may be rounded up.

// ---- sparse: sums of segments, non-zero flags ----

// out[j] = the sum, in sorted order, of values[pos[p]] for p in [heads[j], heads[j + 1]).
__kernel void segment_sum(__global const S* values, __global const long* pos, __global const long* heads,
        const long count, __global S* out) {
    long j = get_global_id(0);
    if (j >= count) return;
    long end = heads[j + 1];
    C acc = LOAD(values, pos[heads[j]]);
    for (long p = heads[j] + 1; p < end; p++) {
        C x = LOAD(values, pos[p]);
        acc = SUM_STEP(acc, x);
    }
    STORE(out, j, acc);
}

__kernel void nonzero_flags(__global const S* p, const long n, __global int* flags) {
    long i = get_global_id(0);
    if (i < n) flags[i] = LOAD(p, i) != 0 ? 1 : 0;
}

#ifdef NUMERIC

// ---- elementwise, same shapes (flat) or NumPy broadcasting through per-axis strides ----
// meta = result dims [rank], then a's strides [rank], then b's strides [rank], in elements.

#define UNARY_KERNELS(NAME) \
__kernel void ew_##NAME##_flat(__global const S* a, __global S* r, const long n) { \
    long i = get_global_id(0); \
    if (i >= n) return; \
    C x = LOAD(a, i); \
    STORE(r, i, op_##NAME(x)); \
}

#define BINARY_KERNELS(NAME) \
__kernel void ew_##NAME##_flat(__global const S* a, __global const S* b, __global S* r, const long n) { \
    long i = get_global_id(0); \
    if (i >= n) return; \
    C x = LOAD(a, i); \
    C y = LOAD(b, i); \
    STORE(r, i, op_##NAME(x, y)); \
} \
__kernel void ew_##NAME##_broadcast(__global const S* a, __global const S* b, __global S* r, const long n, \
        const int rank, __global const long* meta) { \
    long i = get_global_id(0); \
    if (i >= n) return; \
    long rest = i, ia = 0, ib = 0; \
    for (int d = rank - 1; d >= 0; d--) { \
        long dim = meta[d]; \
        long c = rest % dim; \
        rest /= dim; \
        ia += c * meta[rank + d]; \
        ib += c * meta[2 * rank + d]; \
    } \
    C x = LOAD(a, ia); \
    C y = LOAD(b, ib); \
    STORE(r, i, op_##NAME(x, y)); \
}

// flag |= 1 if any element is below zero: the guard of integer powers.
__kernel void any_negative(__global const S* p, const long n, __global int* flag) {
    long i = get_global_id(0);
    if (i < n && LOAD(p, i) < 0) atomic_or(flag, 1);
}

// ---- reductions: one work-item per result element, which visits its elements in row-major order ----
// meta = kept dims [kept] (in result order), their input strides [kept], reduced dims [reduced], their
// input strides [reduced]; reduced >= 1 (a rank-0 input has one reduced axis of size 1); count is the
// product of the reduced dims. Sums accumulate in RACC and round once, so each result is the sum in
// row-major order that the reference computes; max and min combine with op_maximum and op_minimum.

long reduce_base(long o, const int kept, __global const long* meta) {
    long base = 0;
    for (int d = kept - 1; d >= 0; d--) {
        long dim = meta[d];
        base += (o % dim) * meta[kept + d];
        o /= dim;
    }
    return base;
}

// The offset of run j of the innermost reduced axis, over the outer reduced axes.
long reduce_run(long j, const int reduced, __global const long* dims, __global const long* strides) {
    long offset = 0;
    for (int d = reduced - 2; d >= 0; d--) {
        long dim = dims[d];
        offset += (j % dim) * strides[d];
        j /= dim;
    }
    return offset;
}

__kernel void reduce_sum(__global const S* a, __global S* r, const long outputs, const int kept, const int reduced,
        const long count, const int average, __global const long* meta) {
    long o = get_global_id(0);
    if (o >= outputs) return;
    long base = reduce_base(o, kept, meta);
    __global const long* dims = meta + 2 * kept;
    __global const long* strides = dims + reduced;
    long inner = dims[reduced - 1];
    long step = strides[reduced - 1];
    RACC acc = (RACC) 0;
    for (long j = 0; j < count / inner; j++) {
        long at = base + reduce_run(j, reduced, dims, strides);
        for (long k = 0; k < inner; k++) {
            acc += (RACC) LOAD(a, at + k * step);
        }
    }
    if (average) acc /= (RACC) count;
    RSTORE(r, o, acc);
}

#define REDUCE_EXTREME(NAME, COMBINE) \
__kernel void reduce_##NAME(__global const S* a, __global S* r, const long outputs, const int kept, \
        const int reduced, const long count, __global const long* meta) { \
    long o = get_global_id(0); \
    if (o >= outputs) return; \
    long base = reduce_base(o, kept, meta); \
    __global const long* dims = meta + 2 * kept; \
    __global const long* strides = dims + reduced; \
    long inner = dims[reduced - 1]; \
    long step = strides[reduced - 1]; \
    C acc = LOAD(a, base); \
    for (long j = 0; j < count / inner; j++) { \
        long at = base + reduce_run(j, reduced, dims, strides); \
        for (long k = 0; k < inner; k++) { \
            acc = COMBINE(acc, LOAD(a, at + k * step)); \
        } \
    } \
    STORE(r, o, acc); \
}

REDUCE_EXTREME(max, op_maximum)
REDUCE_EXTREME(min, op_minimum)

// ---- dense matmul: TILE x TILE work-groups, both operand tiles staged in local memory ----

__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
void matmul(__global const S* a, __global const S* b, __global S* r, const long m, const long k, const long n) {
    __local A ta[TILE][TILE];
    __local A tb[TILE][TILE];
    long col = get_global_id(0);
    long row = get_global_id(1);
    int lx = get_local_id(0);
    int ly = get_local_id(1);
    A acc = (A) 0;
    for (long t = 0; t < k; t += TILE) {
        long ka = t + lx;
        long kb = t + ly;
        ta[ly][lx] = (row < m && ka < k) ? (A) LOAD(a, row * k + ka) : (A) 0;
        tb[ly][lx] = (col < n && kb < k) ? (A) LOAD(b, kb * n + col) : (A) 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TILE; p++) {
            acc += ta[ly][p] * tb[p][lx];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < m && col < n) STORE(r, row * n + col, (C) acc);
}

// ---- sparse x dense: one work-item per result element, over its row's entries in sorted order ----
// pos lists the entries sorted by row (stable); ptr[row] .. ptr[row + 1] are that row's positions in pos.

__kernel void sparse_matmul(__global const long* idx, __global const S* values, __global const long* pos,
        __global const long* ptr, __global const S* b, const long m, const long n, __global S* r) {
    long j = get_global_id(0);
    long row = get_global_id(1);
    if (j >= n || row >= m) return;
    A acc = (A) 0;
    long end = ptr[row + 1];
    for (long p = ptr[row]; p < end; p++) {
        long q = pos[p];
        long column = idx[2 * q + 1];
        acc = MAC(acc, LOAD(values, q), LOAD(b, column * n + j));
    }
    STORE(r, row * n + j, (C) acc);
}

#endif
