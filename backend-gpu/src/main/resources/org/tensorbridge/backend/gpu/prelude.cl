// tensorbridge backend-gpu: conversions shared by every typed program (OpenCL C 1.2).
// float16 and bfloat16 are stored as ushort bits and computed in float; these conversions are the
// bit-exact twins of org.tensorbridge.Float16 and org.tensorbridge.BFloat16 (round to nearest even),
// so no device needs cl_khr_fp16.

#pragma OPENCL FP_CONTRACT OFF

float h2f(ushort h) {
    uint sign = ((uint) h & 0x8000u) << 16;
    uint exponent = ((uint) h >> 10) & 0x1fu;
    uint mantissa = (uint) h & 0x3ffu;
    if (exponent == 0x1fu) return as_float(sign | 0x7f800000u | (mantissa << 13));
    if (exponent == 0u) {
        float subnormal = (float) mantissa * 0x1p-24f;
        return sign != 0u ? -subnormal : subnormal;
    }
    return as_float(sign | ((exponent - 15u + 127u) << 23) | (mantissa << 13));
}

uint round_shift(uint value, uint shift) {
    uint result = value >> shift;
    uint remainder = value & ((1u << shift) - 1u);
    uint halfway = 1u << (shift - 1u);
    if (remainder > halfway || (remainder == halfway && (result & 1u) != 0u)) result++;
    return result;
}

ushort f2h(float value) {
    uint bits = as_uint(value);
    uint sign = (bits >> 16) & 0x8000u;
    int exponent = (int) ((bits >> 23) & 0xffu);
    uint mantissa = bits & 0x7fffffu;
    if (exponent == 0xff) return (ushort) (sign | 0x7c00u | (mantissa != 0u ? 0x200u | (mantissa >> 13) : 0u));
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) return (ushort) (sign | 0x7c00u);
    if (halfExponent <= 0) {
        if (halfExponent < -10) return (ushort) sign;
        uint significand = mantissa | 0x800000u;
        return (ushort) (sign | round_shift(significand, (uint) (14 - halfExponent)));
    }
    return (ushort) (sign | (((uint) halfExponent << 10) + round_shift(mantissa, 13u)));
}

float bf2f(ushort b) {
    return as_float((uint) b << 16);
}

ushort f2bf(float value) {
    uint bits = as_uint(value);
    if (isnan(value)) return (ushort) ((bits >> 16) | 0x40u);
    uint bias = 0x7fffu + ((bits >> 16) & 1u);
    return (ushort) ((bits + bias) >> 16);
}

// A float that rounds to float16 or bfloat16 exactly as x would in one rounding: truncated, with the
// last bit set when inexact ("round to odd").
float odd_float_from_long(long x) {
    float f = convert_float_rtz(x);
    if ((long) f != x) f = as_float(as_uint(f) | 1u);
    return f;
}

#ifdef HAS_FP64
float odd_float_from_double(double x) {
    float f = convert_float_rtz(x);
    if (!isnan(x) && (double) f != x) f = as_float(as_uint(f) | 1u);
    return f;
}
#endif
