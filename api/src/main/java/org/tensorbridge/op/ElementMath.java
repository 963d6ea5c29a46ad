package org.tensorbridge.op;

import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * The value of an elementwise operation on one element (unary) or one pair (binary): the written
 * semantics of the operation in executable form, which the reference backend computes and the
 * conformance kit checks every backend against.
 *
 * <ul>
 *   <li>Floating point: the function on {@code double} values, rounded once to the dtype (to nearest,
 *       ties to even). For {@code +, -, *, /} and {@code sqrt} that is the correctly rounded result in
 *       every floating dtype; transcendental functions are checked within a tolerance, since engines
 *       round them differently.</li>
 *   <li>Integers: the function on the values as {@code long} ({@code uint8} as 0 to 255), wrapped to
 *       the dtype's width (two's complement): overflow wraps and never saturates.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ElementMath {
    private final int arity;
    private final DoubleUnaryOperator floatingUnary;
    private final LongUnaryOperator integerUnary;
    private final DoubleBinaryOperator floatingBinary;
    private final LongBinaryOperator integerBinary;

    private ElementMath(int arity, DoubleUnaryOperator floatingUnary, LongUnaryOperator integerUnary,
            DoubleBinaryOperator floatingBinary, LongBinaryOperator integerBinary) {
        this.arity = arity;
        this.floatingUnary = floatingUnary;
        this.integerUnary = integerUnary;
        this.floatingBinary = floatingBinary;
        this.integerBinary = integerBinary;
    }

    /** A unary function; {@code integer} is null for functions defined on floating point only. */
    public static ElementMath unary(DoubleUnaryOperator floating, LongUnaryOperator integer) {
        return new ElementMath(1, Objects.requireNonNull(floating, "floating"), integer, null, null);
    }

    /** A binary function; {@code integer} is null for functions defined on floating point only. */
    public static ElementMath binary(DoubleBinaryOperator floating, LongBinaryOperator integer) {
        return new ElementMath(2, null, null, Objects.requireNonNull(floating, "floating"), integer);
    }

    /** 1 or 2. */
    public int arity() {
        return arity;
    }

    /** True if the function is defined on integers. */
    public boolean hasIntegerForm() {
        return integerUnary != null || integerBinary != null;
    }

    /** The unary function on a floating value, before rounding to the dtype. */
    public double floating(double a) {
        return floatingUnary.applyAsDouble(a);
    }

    /** The binary function on floating values, before rounding to the dtype. */
    public double floating(double a, double b) {
        return floatingBinary.applyAsDouble(a, b);
    }

    /** The unary function on an integer value, before wrapping to the dtype. */
    public long integer(long a) {
        return integerUnary.applyAsLong(a);
    }

    /** The binary function on integer values, before wrapping to the dtype. */
    public long integer(long a, long b) {
        return integerBinary.applyAsLong(a, b);
    }
}
