// tensorbridge backend-gpu: kernels for one element type (OpenCL C 1.2). The Java side prepends the
// macros of the type: S (storage type), C (compute type), A (accumulator), LOAD, STORE, SUM_STEP, and
// NUMERIC, OP_ADD .. OP_DIVIDE, MAC and TILE for numeric types. Casts are appended after this file.
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

#define ELEMENTWISE(NAME, OP) \
__kernel void ew_##NAME##_flat(__global const S* a, __global const S* b, __global S* r, const long n) { \
    long i = get_global_id(0); \
    if (i >= n) return; \
    C x = LOAD(a, i); \
    C y = LOAD(b, i); \
    STORE(r, i, OP(x, y)); \
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
    STORE(r, i, OP(x, y)); \
}

ELEMENTWISE(add, OP_ADD)
ELEMENTWISE(subtract, OP_SUBTRACT)
ELEMENTWISE(multiply, OP_MULTIPLY)
ELEMENTWISE(divide, OP_DIVIDE)

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
