// tensorbridge backend-gpu: kernels that do not depend on an element type (OpenCL C 1.2).
// Every kernel checks its bounds, so global sizes may be rounded up.

#pragma OPENCL FP_CONTRACT OFF

// ---- fill, zero checks, gather, scatter and transpose, by element width ----
// transpose_W: r[i] = a[from], from = the sum over result axes d of i's coordinate times meta[rank + d],
// the input stride of the axis that became d; meta[0 .. rank) are the result's dims.

#define BY_WIDTH(W, T) \
__kernel void fill_##W(__global T* p, const T v, const long n) { \
    long i = get_global_id(0); \
    if (i < n) p[i] = v; \
} \
__kernel void any_zero_##W(__global const T* p, const long n, __global int* flag) { \
    long i = get_global_id(0); \
    if (i < n && p[i] == (T) 0) atomic_or(flag, 1); \
} \
__kernel void gather_##W(__global const T* src, __global const long* pos, const long n, __global T* dst) { \
    long i = get_global_id(0); \
    if (i < n) dst[i] = src[pos[i]]; \
} \
__kernel void scatter_##W(__global const T* src, __global const long* at, const long n, __global T* dst) { \
    long i = get_global_id(0); \
    if (i < n) dst[at[i]] = src[i]; \
} \
__kernel void transpose_##W(__global const T* a, __global T* r, const long n, const int rank, \
        __global const long* meta) { \
    long i = get_global_id(0); \
    if (i >= n) return; \
    long rest = i, from = 0; \
    for (int d = rank - 1; d >= 0; d--) { \
        long dim = meta[d]; \
        from += (rest % dim) * meta[rank + d]; \
        rest /= dim; \
    } \
    r[i] = a[from]; \
}

BY_WIDTH(1, uchar)
BY_WIDTH(2, ushort)
BY_WIDTH(4, uint)
BY_WIDTH(8, ulong)

// ---- sparse index arithmetic ----

// keys[i] = sum over d < outRank of idx[i, meta[d]] * meta[outRank + d]: a row-major position in the
// shape whose strides are meta[outRank ..], built from the source axes meta[0 .. outRank).
__kernel void sparse_keys(__global const long* idx, const int rank, __global const long* meta, const int outRank,
        const long nnz, __global long* keys) {
    long i = get_global_id(0);
    if (i >= nnz) return;
    long key = 0;
    for (int d = 0; d < outRank; d++) {
        key += idx[i * rank + meta[d]] * meta[outRank + d];
    }
    keys[i] = key;
}

// idx[j, d] = the multi-index of keys[j] in the shape with row-major strides `strides`.
__kernel void decode_keys(__global const long* keys, const long count, const int rank, __global const long* strides,
        __global long* idx) {
    long j = get_global_id(0);
    if (j >= count) return;
    long key = keys[j];
    for (int d = 0; d < rank; d++) {
        long s = strides[d];
        long q = s == 0 ? 0 : key / s;
        idx[j * rank + d] = q;
        key -= q * s;
    }
}

// ---- stable sort of (key, position) pairs: bitonic network over a power-of-two length p ----

__kernel void sort_init(__global long* keys, __global long* pos, const long n, const long p) {
    long i = get_global_id(0);
    if (i >= p) return;
    pos[i] = i;
    if (i >= n) keys[i] = LONG_MAX;
}

__kernel void bitonic_step(__global long* keys, __global long* pos, const long j, const long k, const long p) {
    long i = get_global_id(0);
    if (i >= p) return;
    long l = i ^ j;
    if (l <= i) return;
    long ki = keys[i], kl = keys[l], pi = pos[i], pl = pos[l];
    int greater = ki > kl || (ki == kl && pi > pl);
    int ascending = (i & k) == 0;
    if (ascending ? greater : !greater) {
        keys[i] = kl;
        keys[l] = ki;
        pos[i] = pl;
        pos[l] = pi;
    }
}

// ---- segments of equal sorted keys ----

__kernel void segment_flags(__global const long* keys, const long n, __global int* flags) {
    long i = get_global_id(0);
    if (i < n) flags[i] = (i == 0 || keys[i] != keys[i - 1]) ? 1 : 0;
}

// For a head i of segment s (scan[i] = s + 1): heads[s] = i and ukeys[s] = keys[i]; heads[count] = n.
__kernel void segment_heads(__global const int* flags, __global const int* scan, __global const long* keys,
        const long n, __global long* heads, __global long* ukeys) {
    long i = get_global_id(0);
    if (i >= n) return;
    if (flags[i]) {
        long s = scan[i] - 1;
        heads[s] = i;
        ukeys[s] = keys[i];
    }
    if (i == n - 1) heads[scan[i]] = n;
}

// out[scan[i] - 1] = i for every flagged i: the positions of the flagged elements, in order.
__kernel void compact_positions(__global const int* flags, __global const int* scan, const long n,
        __global long* out) {
    long i = get_global_id(0);
    if (i < n && flags[i]) out[scan[i] - 1] = i;
}

// ptr[r] = the first position whose sorted key is >= r, for r in [0, rows].
__kernel void row_pointers(__global const long* keys, const long nnz, const long rows, __global long* ptr) {
    long r = get_global_id(0);
    if (r > rows) return;
    long lo = 0, hi = nnz;
    while (lo < hi) {
        long mid = (lo + hi) >> 1;
        if (keys[mid] < r) lo = mid + 1; else hi = mid;
    }
    ptr[r] = lo;
}

// ---- inclusive prefix sum of ints: chunk sums, a scan of the sums, then each chunk rescanned ----

__kernel void scan_chunk_sums(__global const int* in, const long n, const long chunk, const long chunks,
        __global int* sums) {
    long g = get_global_id(0);
    if (g >= chunks) return;
    long end = min(n, (g + 1) * chunk);
    int s = 0;
    for (long i = g * chunk; i < end; i++) s += in[i];
    sums[g] = s;
}

__kernel void scan_step(__global const int* in, __global int* out, const long n, const long d) {
    long i = get_global_id(0);
    if (i < n) out[i] = in[i] + (i >= d ? in[i - d] : 0);
}

__kernel void scan_chunk_apply(__global const int* in, __global int* out, const long n, const long chunk,
        const long chunks, __global const int* scannedSums) {
    long g = get_global_id(0);
    if (g >= chunks) return;
    long end = min(n, (g + 1) * chunk);
    int s = g > 0 ? scannedSums[g - 1] : 0;
    for (long i = g * chunk; i < end; i++) {
        s += in[i];
        out[i] = s;
    }
}

// ---- validation of new sparse tensors' indices (int64 [nnz, rank]) ----

// first = the lowest flat position p in [0, count) whose index idx[p] is outside [0, dims[p % rank]);
// the host sets it to INT_MAX first, so INT_MAX means every index is valid. count < 2^31.
__kernel void first_invalid_index(__global const long* idx, const long count, const int rank,
        __global const long* dims, __global int* first) {
    long p = get_global_id(0);
    if (p >= count) return;
    long v = idx[p];
    if (v < 0 || v >= dims[p % rank]) atomic_min(first, (int) p);
}

// flag |= 1 where an entry's row-major key (sum of idx[i, d] * strides[d], wrapping like Java's long)
// is not greater than the key of the entry before it: the indices are then not canonical.
__kernel void keys_not_increasing(__global const long* idx, const long nnz, const int rank,
        __global const long* strides, __global int* flag) {
    long i = get_global_id(0);
    if (i < 1 || i >= nnz) return;
    ulong previous = 0, key = 0;
    for (int d = 0; d < rank; d++) {
        ulong s = (ulong) strides[d];
        previous += (ulong) idx[(i - 1) * rank + d] * s;
        key += (ulong) idx[i * rank + d] * s;
    }
    if ((long) previous >= (long) key) atomic_or(flag, 1);
}

// ---- CSR parts to COO indices ----

// first = the lowest row r in [0, rows] where indptr breaks CSR's rules (start at 0, never decrease,
// end at nnz, never above nnz); the host sets it to INT_MAX first. rows + 1 < 2^31.
__kernel void csr_first_bad_pointer(__global const long* p, const long rows, const long nnz, __global int* first) {
    long r = get_global_id(0);
    if (r > rows) return;
    long at = p[r];
    if ((r == 0 && at != 0) || (r > 0 && at < p[r - 1]) || at > nnz || (r == rows && at != nnz)) {
        atomic_min(first, (int) r);
    }
}

// coo[i] = (row of entry i, columns[i]) for a valid indptr: one work item per row.
__kernel void csr_expand(__global const long* p, __global const long* columns, const long rows, __global long* coo) {
    long r = get_global_id(0);
    if (r >= rows) return;
    for (long i = p[r]; i < p[r + 1]; i++) {
        coo[2 * i] = r;
        coo[2 * i + 1] = columns[i];
    }
}
